package io.pulse.core;

import java.time.Instant;

/**
 * One cluster member as this node sees it.
 *
 * <pre>{@code
 * engine.members().forEach(m -> System.out.println(m.id() + " " + m.state() + "@" + m.incarnation()));
 * }</pre>
 *
 * @param since      when this node learned the current state, on its wall clock
 * @param declaredBy who said the current state first (the suspecter, the declarer, or the member itself)
 * @param self       this node
 * @param watched    this node probes the member (it is one of its observers)
 * @param reporter   this node publishes the member's events (the first live member after it on the ring)
 */
public record MemberStatus(
        NodeId id,
        Liveness state,
        long incarnation,
        Instant since,
        NodeId declaredBy,
        boolean self,
        boolean watched,
        boolean reporter) {}
