import CascadeCore
import CascadeEngine
import CascadeStore
import HTTPTypes

/// The one place where each module's errors become HTTP problems: routes throw what the engine and
/// the store throw, and the status follows the error's code (not every engine error is a conflict).
extension Problem {
    /// A store error: missing 404, clash 409, broken rule 422, database unavailable 503.
    static func from(_ error: StoreError) -> Problem {
        switch error.code {
        case .notFound: Problem(status: .notFound, code: error.code.rawValue, detail: error.message)
        case .conflict: Problem(status: .conflict, code: error.code.rawValue, detail: error.message)
        case .invalid: Problem(status: .unprocessableContent, code: error.code.rawValue, detail: error.message)
        case .unavailable: Problem(status: .serviceUnavailable, code: error.code.rawValue, detail: error.message)
        }
    }

    /// A supervisor error: an unknown worker 404, a duplicate 409, a worker that cannot start or a
    /// server shutting down 503.
    static func from(_ error: EngineError) -> Problem {
        let status: HTTPResponse.Status = switch error.code {
        case .unknownWorker: .notFound
        case .duplicateWorker: .conflict
        case .spawnFailed, .connectionFailed, .shuttingDown: .serviceUnavailable
        }
        return Problem(status: status, code: error.code.rawValue, detail: error.message)
    }

    /// A recording service error.
    static func from(_ error: RecordingError) -> Problem {
        switch error.code {
        case .insufficientStorage: Problem(status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), code: error.code.rawValue, detail: error.message)
        case .invalidSource: Problem(status: .unprocessableContent, code: error.code.rawValue, detail: error.message, field: "source")
        case .unknownRecording: Problem(status: .notFound, code: error.code.rawValue, detail: error.message)
        case .unavailable: Problem(status: .serviceUnavailable, code: error.code.rawValue, detail: error.message)
        }
    }

    /// A relay service error.
    static func from(_ error: RelayError) -> Problem {
        switch error.code {
        case .invalidSource: Problem(status: .unprocessableContent, code: error.code.rawValue, detail: error.message, field: "source")
        case .unknownHall: Problem(status: .unprocessableContent, code: error.code.rawValue, detail: error.message, field: "halls")
        case .unknownRelay: Problem(status: .notFound, code: error.code.rawValue, detail: error.message)
        case .hallConflict, .portUnavailable: Problem(status: .conflict, code: error.code.rawValue, detail: error.message)
        case .startFailed: Problem(status: .serviceUnavailable, code: error.code.rawValue, detail: error.message)
        }
    }

    /// A scheduler error: not running or no backup 409, a relay that refused the change 503.
    static func from(_ error: SchedulerError) -> Problem {
        switch error.code {
        case .notRunning, .noBackup: Problem(status: .conflict, code: error.code.rawValue, detail: error.message)
        case .mediaRefused: Problem(status: .serviceUnavailable, code: error.code.rawValue, detail: error.message)
        }
    }
}
