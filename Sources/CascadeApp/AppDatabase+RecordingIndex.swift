import CascadeEngine
import CascadeStore

/// The embedded database is the recording service's index.
extension AppDatabase: RecordingIndex {}
