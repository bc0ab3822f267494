import Synchronization

/// The unit tree and the feeds as the server currently knows them, shared by every part that reads
/// them (routes, the scheduler's calendar): an administrator's reload of the configuration replaces
/// both at once, and every reader sees the new ones on its next request.
public final class LiveTopology: Sendable {
    /// What one reload brings.
    public struct Snapshot: Sendable {
        /// The tree and the rules over it.
        public var policy: AccessPolicy
        /// Where meetings' pictures come from.
        public var feeds: FeedCatalogue
    }

    private let current: Mutex<Snapshot>

    /// Starts with this tree and these feeds.
    public init(tree: UnitTree, feeds: FeedCatalogue = FeedCatalogue()) {
        current = Mutex(Snapshot(policy: AccessPolicy(tree: tree), feeds: feeds))
    }

    /// The tree and feeds now.
    public var snapshot: Snapshot { current.withLock { $0 } }

    /// The access policy over the current tree.
    public var policy: AccessPolicy { snapshot.policy }

    /// The current feeds.
    public var feeds: FeedCatalogue { snapshot.feeds }

    /// Replaces the tree, the feeds, or both.
    public func replace(tree: UnitTree? = nil, feeds: FeedCatalogue? = nil) {
        current.withLock { snapshot in
            if let tree { snapshot.policy = AccessPolicy(tree: tree) }
            if let feeds { snapshot.feeds = feeds }
        }
    }
}
