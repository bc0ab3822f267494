import CascadeCore
import Testing

/// Worker ids of relays and recordings are made and read in one place, and nothing else reads as one.
@Suite struct JobWorkerIDTests {
    @Test(arguments: [
        (JobWorkerID(.relay(7), attempt: 2), "rl7-2"),
        (JobWorkerID(.relay(12), attempt: 0), "rl12-0"),
        (JobWorkerID(.recording(3), attempt: 0), "rec-3-0"),
        (JobWorkerID(.recording(41), attempt: 15), "rec-41-15"),
    ])
    func roundTrips(_ id: JobWorkerID, _ text: String) {
        #expect(id.description == text)
        #expect(JobWorkerID(text) == id)
    }

    @Test(arguments: ["", "rl", "rl-1", "rlx-1", "rl7-", "rl7-1-2", "rl+7-1", "rl7--1", "rec-1", "rec-a-1", "rec-1-", "rec--1-0",
                      "demo-feed-1a2b3c4d", "r7-1", "rl99999999999999999999-0", "rec-1-99999999999999999999"])
    func refusesWhatIsNotOne(_ text: String) {
        #expect(JobWorkerID(text) == nil, "\(text)")
    }

    @Test func saysWhichJob() {
        #expect(JobWorkerID("rl7-2")?.relayId == 7 && JobWorkerID("rl7-2")?.recordingId == nil)
        #expect(JobWorkerID("rec-3-1")?.recordingId == 3 && JobWorkerID("rec-3-1")?.relayId == nil)
    }
}
