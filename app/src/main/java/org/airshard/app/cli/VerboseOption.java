package org.airshard.app.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces for errors (for bug reports). */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces for errors (for bug reports).")
    boolean verbose;
}
