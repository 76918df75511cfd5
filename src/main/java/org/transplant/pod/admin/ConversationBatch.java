package org.transplant.pod.admin;

import java.time.OffsetDateTime;
import java.util.SplittableRandom;

/**
 * One batch of conversations with their participants and messages, as column arrays. The owner takes part in
 * every conversation (that is what makes it theirs); 1 to 3 others join, and the participants write in turn.
 */
final class ConversationBatch {

    final String[] guids;
    final String[] subjects;
    final String[] authors;
    final OffsetDateTime[] times;

    final String[] participantConversations;
    final String[] participantHandles;
    final Long[] participantAccounts;
    final Long[] participantSeqs;
    int participants;

    final String[] messageGuids;
    final String[] messageConversations;
    final String[] messageAuthors;
    final String[] messageTexts;
    final OffsetDateTime[] messageTimes;
    private int messages;

    private ConversationBatch(int count, int messagesPerConversation) {
        guids = new String[count];
        subjects = new String[count];
        authors = new String[count];
        times = new OffsetDateTime[count];
        participantConversations = new String[count * 4];
        participantHandles = new String[count * 4];
        participantAccounts = new Long[count * 4];
        participantSeqs = new Long[count * 4];
        int messageRows = count * messagesPerConversation;
        messageGuids = new String[messageRows];
        messageConversations = new String[messageRows];
        messageAuthors = new String[messageRows];
        messageTexts = new String[messageRows];
        messageTimes = new OffsetDateTime[messageRows];
    }

    /**
     * {@code count} conversations starting along {@code timeline}; the owner's participation rows take the
     * sequence numbers from {@code firstSeq} on (messages have no seq of their own).
     */
    static ConversationBatch generate(SyntheticRun run, SyntheticTimeline timeline, int count, long firstSeq) {
        int perConversation = run.request.messagesPerConversation();
        ConversationBatch batch = new ConversationBatch(count, perConversation);
        SplittableRandom random = run.conversationRandom;
        for (int k = 0; k < count; k++) {
            long started = timeline.advance();
            String guid = SyntheticSeeds.guid(run.conversationGuids);
            String[] others = run.people.distinct(random, 1 + random.nextInt(3), false);
            String[] people = new String[others.length + 1];
            boolean ownerStarted = random.nextInt(100) < 60;
            people[0] = ownerStarted ? run.ownerHandle : others[0];
            people[1] = ownerStarted ? others[0] : run.ownerHandle;
            System.arraycopy(others, 1, people, 2, others.length - 1);
            batch.guids[k] = guid;
            batch.subjects[k] = SyntheticText.subject(random);
            batch.authors[k] = people[0];
            batch.times[k] = SyntheticTimeline.time(started);
            for (String handle : people) {
                boolean owner = handle.equals(run.ownerHandle);
                batch.addParticipant(guid, handle, owner ? run.accountId : null, owner ? firstSeq + k : null);
            }
            // Replies come minutes to hours apart, squeezed so that the last one is not in the future.
            long mean = Math.max(1, Math.min(6 * 3_600_000L, (run.endMillis - started) / (perConversation + 1)));
            long at = started;
            for (int m = 0; m < perConversation; m++) {
                at = Math.min(run.endMillis, at + 1 + random.nextLong(2 * mean));
                batch.addMessage(
                        SyntheticSeeds.guid(run.conversationGuids),
                        guid,
                        people[m % people.length],
                        SyntheticText.message(random),
                        SyntheticTimeline.time(at));
            }
        }
        return batch;
    }

    private void addParticipant(String conversation, String handle, Long accountId, Long seq) {
        participantConversations[participants] = conversation;
        participantHandles[participants] = handle;
        participantAccounts[participants] = accountId;
        participantSeqs[participants++] = seq;
    }

    private void addMessage(String guid, String conversation, String author, String text, OffsetDateTime at) {
        messageGuids[messages] = guid;
        messageConversations[messages] = conversation;
        messageAuthors[messages] = author;
        messageTexts[messages] = text;
        messageTimes[messages++] = at;
    }
}
