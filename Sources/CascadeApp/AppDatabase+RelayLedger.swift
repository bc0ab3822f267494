import CascadeEngine
import CascadeStore

/// The embedded database is the relay service's ledger.
extension AppDatabase: RelayLedger {}
