package org.tl4j.core.tune;

/**
 * Receives a search's progress. The search itself does not log progress; listeners do (a progress
 * bar in the command line). Called from the thread that runs the candidate.
 */
public interface TuningListener {

    /** Called once before the first candidate, with the search's candidate limit. */
    default void onSearchStart(int maxCandidates) {}

    /** Called when a candidate starts training. */
    default void onCandidateStart(int index, TransferCandidate candidate) {}

    /** Called when a candidate has completed or failed. */
    default void onCandidateEnd(CandidateResult result) {}
}
