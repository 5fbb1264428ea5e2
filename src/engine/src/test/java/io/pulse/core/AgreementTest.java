package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paxos on one configuration's change, message by message: five members, a scripted network. */
class AgreementTest {
    private final Configuration config = CutDetectorTest.members(5);
    private final List<Sent> sent = new ArrayList<>();
    private final List<Proposal> decided = new ArrayList<>();
    private final List<Integer> answeredDown = new ArrayList<>();

    private record Sent(int from, InetSocketAddress to, Message message) {}

    private Agreement member(int index) {
        return new Agreement(
                config,
                index,
                Sequences.secure(),
                new Agreement.Network() {
                    @Override
                    public void send(InetSocketAddress to, Message message) {
                        sent.add(new Sent(index, to, message));
                    }

                    @Override
                    public void decided(Proposal value) {
                        decided.add(value);
                    }

                    @Override
                    public void answeredWhileDown(int down) {
                        answeredDown.add(down);
                    }
                },
                true);
    }

    private InetSocketAddress at(int index) {
        return config.member(index).address();
    }

    private static Proposal removing(int... down) {
        return new Proposal(1, down, new int[0], List.of(), List.of());
    }

    /** Delivers what {@code from} sent to the members in {@code to}, and their answers back to it. */
    private void roundTrip(Agreement coordinator, int from, List<Agreement> acceptors, int... to) {
        List<Sent> requests = sent.stream().filter(s -> s.from == from).toList();
        sent.clear();
        for (Sent request : requests) {
            for (int i : to) {
                if (request.to.equals(at(i))) {
                    if (request.message instanceof Message.Prepare p) {
                        acceptors.get(i).onPrepare(at(from), p);
                    } else if (request.message instanceof Message.Accept a) {
                        acceptors.get(i).onAccept(at(from), a);
                    }
                }
            }
        }
        List<Sent> answers = List.copyOf(sent);
        sent.clear();
        for (Sent answer : answers) {
            if (answer.message instanceof Message.Promise p) {
                coordinator.onPromise(at(answer.from), p);
            } else if (answer.message instanceof Message.Accepted a) {
                coordinator.onAccepted(at(answer.from), a);
            }
        }
    }

    private List<Agreement> all() {
        List<Agreement> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(member(i));
        }
        return members;
    }

    @Test
    void aMajorityDecidesInTwoRoundTrips() {
        List<Agreement> m = all();
        m.get(0).propose(removing(4), 0);
        roundTrip(m.get(0), 0, m, 0, 1, 2); // PREPARE: three of five promise
        roundTrip(m.get(0), 0, m, 0, 1, 2); // ACCEPT: the same three accept
        assertEquals(List.of(removing(4)), decided);
    }

    @Test
    void aMinorityDecidesNothing() {
        List<Agreement> m = all();
        m.get(0).propose(removing(3, 4), 0);
        roundTrip(m.get(0), 0, m, 0, 1);
        assertTrue(m.get(0).proposing());
        assertEquals(List.of(), decided);
        assertEquals(2, m.get(0).answers());
    }

    @Test
    void aLaterCoordinatorCarriesOnAValueAMajorityMayHaveTaken() {
        List<Agreement> m = all();
        m.get(0).propose(removing(4), 0);
        roundTrip(m.get(0), 0, m, 0, 1, 2);
        List<Sent> accepts = List.copyOf(sent);
        sent.clear();
        for (Sent accept : accepts) {
            if (accept.to.equals(at(1))) {
                m.get(1).onAccept(at(0), (Message.Accept) accept.message); // only member 1 took it
            }
        }
        sent.clear();
        m.get(2).propose(removing(3), 2); // another coordinator with another cut
        roundTrip(m.get(2), 2, m, 0, 1, 2);
        List<Message.Accept> carried = sent.stream()
                .map(s -> s.message)
                .filter(Message.Accept.class::isInstance)
                .map(Message.Accept.class::cast)
                .toList();
        assertEquals(removing(4), carried.get(0).value(), "the value member 1 accepted, not its own");
    }

    @Test
    void anAcceptorRefusesBallotsBelowItsPromise() {
        List<Agreement> m = all();
        m.get(1).propose(removing(4), 1);
        roundTrip(m.get(1), 1, m, 0, 1, 2);
        sent.clear();
        m.get(0).onPrepare(at(3), new Message.Prepare(7, config.ref(), new Ballot(1, 0), 0));
        Message.Accepted refusal = assertInstanceOf(Message.Accepted.class, sent.get(0).message);
        assertFalse(refusal.ok());
        assertEquals(new Ballot(1, 1), refusal.promised());
    }

    @Test
    void aMemberNeverAcceptsItsOwnRemovalAsDown() {
        List<Agreement> m = all();
        m.get(4).onAccept(at(0), new Message.Accept(9, config.ref(), new Ballot(1, 0), removing(4)));
        assertFalse(((Message.Accepted) sent.get(0).message).ok());
        sent.clear();
        Proposal leaving = new Proposal(1, new int[0], new int[] {4}, List.of(), List.of());
        m.get(4).onAccept(at(0), new Message.Accept(10, config.ref(), new Ballot(1, 0), leaving));
        assertTrue(((Message.Accepted) sent.get(0).message).ok(), "leaving, it accepts its removal");
    }

    @Test
    void aMemberFoundDownThatAnswersStopsTheBallot() {
        List<Agreement> m = all();
        m.get(0).propose(removing(3, 4), 0);
        roundTrip(m.get(0), 0, m, 0, 4);
        assertEquals(List.of(4), answeredDown, "its reports are stale");
        assertFalse(m.get(0).proposing());
        assertTrue(sent.stream().noneMatch(s -> s.message instanceof Message.Accept));
    }

    /** A value that removes half the members as down can never be decided: no later ballot carries it on. */
    @Test
    void aValueThatCanNeverBeDecidedDoesNotHoldTheConfigurationUp() {
        List<Agreement> m = all();
        m.get(1).onAccept(at(0), new Message.Accept(1, config.ref(), new Ballot(1, 0), removing(0, 2, 4)));
        sent.clear();
        m.get(1).propose(removing(3), 1);
        roundTrip(m.get(1), 1, m, 0, 1, 2);
        Message.Accept accept = (Message.Accept) sent.stream()
                .map(s -> s.message)
                .filter(Message.Accept.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals(removing(3), accept.value());
    }

    @Test
    void answersMustEchoTheRequestAndComeFromMembers() {
        List<Agreement> m = all();
        m.get(0).propose(removing(4), 0);
        Ballot ballot = m.get(0).ballot();
        m.get(0).onPromise(at(1), new Message.Promise(12345, config.ref(), ballot, Ballot.ZERO, null));
        m.get(0).onPromise(at(2), new Message.Promise(12345, config.ref(), ballot, Ballot.ZERO, null));
        m.get(0)
                .onPromise(
                        CutDetectorTest.address(99),
                        new Message.Promise(12345, config.ref(), ballot, Ballot.ZERO, null));
        assertEquals(0, m.get(0).answers(), "forged or foreign answers count for nothing");
        sent.clear();
        m.get(1).onPrepare(CutDetectorTest.address(99), new Message.Prepare(1, config.ref(), new Ballot(9, 9), 0));
        assertEquals(List.of(), sent, "a stranger's PREPARE goes unanswered");
        assertNull(null);
    }
}
