package org.airshard.executor.board;

/** A board failed during a run (dead, unreachable, refused or erroring); the message names it. */
public final class BoardFailure extends RuntimeException {

    private final String board;

    public BoardFailure(String board, String message) {
        super("board " + board + ": " + message);
        this.board = board;
    }

    public BoardFailure(String board, String message, Throwable cause) {
        super("board " + board + ": " + message, cause);
        this.board = board;
    }

    /** host:port (and name when known) of the board. */
    public String board() {
        return board;
    }
}
