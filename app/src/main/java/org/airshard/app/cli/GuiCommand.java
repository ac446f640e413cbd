package org.airshard.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.airshard.app.gui.AirshardGui;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code airshard gui [FILE]}: opens the desktop application, optionally on a topology file. */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the desktop application (the default when no command is given).")
public final class GuiCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "TOPOLOGY", description = "Topology file to open instead of the sample.")
    Path topology;

    @Override
    public Integer call() {
        AirshardGui.launch(topology == null ? new String[0] : new String[] {topology.toString()});
        return AirshardCli.GUI_REQUESTED;
    }
}
