package dev.explain4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar over a command's steps on a terminal; silent when the output is piped or redirected. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, int steps) {
        this.bar = System.console() == null ? null
                : new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).continuousUpdate().build();
    }

    /** Names the step about to run. */
    void starting(String step) {
        if (bar != null) {
            bar.setExtraMessage(step);
        }
    }

    void done() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
