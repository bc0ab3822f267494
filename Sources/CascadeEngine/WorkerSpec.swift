import CascadeMedia

/// What a worker should run.
public struct WorkerSpec: Sendable {
    /// Unique id (letters, digits and '-'); also names the control socket.
    public var id: String
    /// What the pipeline is for, e.g. "relay", "recording", "test".
    public var purpose: String
    /// The pipeline, built by ``CascadeMedia/PipelineRecipes`` — never taken from a client; user text
    /// only in its settings.
    public var pipeline: PipelineRecipe
    /// Properties sampled with each statistics report.
    public var probes: [StatisticsProbe]
    /// How often statistics are reported; `nil` for never.
    public var statisticsInterval: Duration?
    /// For a relay worker: the hop to run instead of `pipeline`.
    public var relay: RelaySpec?
    /// Whether the worker keeps running when the server shuts down, to be adopted by the next run
    /// (relays: a server restart must not cut a meeting).
    public var outlivesServer = false

    /// Creates a spec.
    public init(id: String, purpose: String, pipeline: PipelineRecipe, probes: [StatisticsProbe] = [], statisticsInterval: Duration? = nil) {
        self.id = id
        self.purpose = purpose
        self.pipeline = pipeline
        self.probes = probes
        self.statisticsInterval = statisticsInterval
    }

    /// A worker for a description of Cascade's own, with no user-supplied values (tests, fixtures).
    public init(id: String, purpose: String, pipeline description: String, probes: [StatisticsProbe] = [], statisticsInterval: Duration? = nil) {
        self.init(id: id, purpose: purpose, pipeline: PipelineRecipe(description), probes: probes, statisticsInterval: statisticsInterval)
    }

    /// A relay hop's worker.
    public init(id: String, relay: RelaySpec) {
        self.init(id: id, purpose: "relay", pipeline: PipelineRecipe(""))
        self.relay = relay
        outlivesServer = true
    }
}
