package io.pulse.core;

import java.util.List;

/**
 * A decided change and what follows from it: the configuration it applied to, the one it made, and
 * a {@link Verdict} per member it touched, in the change's order.
 */
record Decision(Configuration before, Proposal change, Configuration after, List<Verdict> verdicts) {}
