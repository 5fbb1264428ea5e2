package io.pulse.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The read model of {@code GET /members}: every member as one member of the cluster sees it. */
final class MemberStatuses {
    private MemberStatuses() {}

    /** A member that holds no configuration yet knows only itself, PENDING. */
    static List<MemberStatus> joining(MemberInfo self) {
        return List.of(new MemberStatus(
                self.id(), Liveness.PENDING, self.incarnation(), null, self.labels(), true, false, -1));
    }

    /**
     * The members of {@code current} and the ones it remembers away, sorted by id.
     *
     * @param selfIndex this member's index in {@code current}, or -1
     * @param leaving   this member is leaving (it shows itself LEFT)
     * @param seen      what this member observes of a member right now, or null if it does not
     */
    static List<MemberStatus> of(
            Configuration current, int selfIndex, boolean leaving, Function<NodeId, Liveness> seen) {
        List<MemberStatus> all = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            MemberInfo m = current.member(i);
            boolean isSelf = i == selfIndex;
            Liveness observed = isSelf ? null : seen.apply(m.id());
            Liveness state = Liveness.ALIVE;
            if (isSelf && leaving) {
                state = Liveness.LEFT;
            } else if (observed != null && observed != Liveness.PENDING) {
                state = observed;
            }
            Standing standing = current.standing(m.address());
            if (standing != null && standing.state() == Liveness.FLAPPING) {
                state = Liveness.FLAPPING;
            }
            Instant since = standing == null ? null : Instant.ofEpochMilli(standing.sinceMillis());
            all.add(new MemberStatus(
                    m.id(), state, m.incarnation(), since, m.labels(), isSelf, observed != null, current.rankOf(i)));
        }
        for (Standing s : current.standings()) {
            if (!current.contains(s.address())) {
                NodeId id = new MemberInfo(s.address(), s.incarnation(), Labels.NONE).id();
                all.add(new MemberStatus(
                        id,
                        s.state(),
                        s.incarnation(),
                        Instant.ofEpochMilli(s.sinceMillis()),
                        Labels.NONE,
                        false,
                        false,
                        -1));
            }
        }
        all.sort(Comparator.comparing(MemberStatus::id));
        return all;
    }
}
