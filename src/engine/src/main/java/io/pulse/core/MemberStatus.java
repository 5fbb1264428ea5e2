package io.pulse.core;

import java.time.Instant;

/**
 * One cluster member as this node sees it: a member of the agreed configuration it holds, or one
 * the configuration remembers (DEAD, LEFT, FLAPPING) while it is away.
 *
 * <pre>{@code
 * engine.members().forEach(m -> System.out.println(m.id() + " " + m.state() + "@" + m.incarnation()));
 * }</pre>
 *
 * @param state   ALIVE for a member of the configuration, unless this node observes it and finds it
 *                SUSPECT or DEAD right now (not yet agreed), or it is FLAPPING; for one away, its standing
 * @param since   when it entered its agreed standing, or null for a plain member
 * @param self    this node
 * @param watched this node observes the member
 * @param rank    its rank as a coordinator in the configuration (0 coordinates first), or -1 if away
 */
public record MemberStatus(
        NodeId id,
        Liveness state,
        long incarnation,
        Instant since,
        Labels labels,
        boolean self,
        boolean watched,
        int rank) {}
