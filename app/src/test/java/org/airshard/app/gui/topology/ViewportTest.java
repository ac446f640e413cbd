package org.airshard.app.gui.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.junit.jupiter.api.Test;

class ViewportTest {

    @Test
    void zoomKeepsThePointUnderTheCursor() {
        Viewport v = new Viewport();
        v.panBy(100, 50);
        Position before = v.toWorld(300, 200);
        v.zoomAt(1.7, 300, 200);
        Position after = v.toWorld(300, 200);
        assertEquals(before.xM(), after.xM(), 1e-9);
        assertEquals(before.yM(), after.yM(), 1e-9);
        assertEquals(Viewport.DEFAULT_SCALE * 1.7, v.scale(), 1e-9);
    }

    @Test
    void zoomIsClamped() {
        Viewport v = new Viewport();
        for (int i = 0; i < 100; i++) {
            v.zoomAt(2, 0, 0);
        }
        assertEquals(Viewport.MAX_SCALE, v.scale());
        for (int i = 0; i < 100; i++) {
            v.zoomAt(0.5, 0, 0);
        }
        assertEquals(Viewport.MIN_SCALE, v.scale());
    }

    @Test
    void fitShowsEveryNodeInsideTheMargins() {
        Topology t = TopologyEdits.newTopology();
        t = t.withDevices(List.of(Device.ofKind("a", "a", DeviceKind.PHONE, new Position(-20, 5)),
                Device.ofKind("b", "b", DeviceKind.PHONE, new Position(40, -10))));
        Viewport v = new Viewport();
        v.fit(t, 800, 600, 50);
        for (Device d : t.devices()) {
            double x = v.toScreenX(d.position().xM()), y = v.toScreenY(d.position().yM());
            assertTrue(x >= 49.99 && x <= 750.01 && y >= 49.99 && y <= 550.01, x + "," + y);
        }
    }

    @Test
    void snrScaleRunsRedToGreenAndClamps() {
        assertEquals("#d62f2f", SnrScale.colorHex(-5));
        assertEquals("#2ea04f", SnrScale.colorHex(99));
        assertEquals(SnrScale.colorHex(SnrScale.MAX_DB), SnrScale.colorHex(SnrScale.MAX_DB + 1));
        assertEquals(0.5, SnrScale.fraction((SnrScale.MIN_DB + SnrScale.MAX_DB) / 2), 1e-12);
    }
}
