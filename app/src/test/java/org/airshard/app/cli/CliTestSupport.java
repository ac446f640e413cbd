package org.airshard.app.cli;

/** Lets tests in other packages run the command line the way {@link CliTest} does. */
public final class CliTestSupport {

    private CliTestSupport() {
    }

    public static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }
}
