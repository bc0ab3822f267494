import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// Passwords, tokens and calendar feeds: people change their own password and see their tokens;
/// administrators disable users, reset passwords and revoke tokens of users in their subtree.
struct CredentialRoutes {
    let dependencies: HTTPDependencies

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    struct UserChange: Decodable {
        var disabled: Bool?
    }

    struct NewFeed: Decodable {
        var unitId: String?
        var hallId: String?
    }

    struct ResetPassword: Encodable {
        var user: UserInfo
        var password: String
    }

    struct IssuedFeed: Encodable {
        var id: Int64
        var url: String
        var expiresAt: Date?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("me/password") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(PasswordChange.self, from: request, allowedFields: ["currentPassword", "newPassword"])
            let database = dependencies.database
            let presented = context.presentedToken
            // Guessing the current password through this route is throttled with the sign-ins.
            let changed: Bool? = try await dependencies.signInThrottle.checkPassword(name: principal.name, address: context.clientAddress ?? "unknown") { isUrgent in
                do {
                    try await database.onPasswordQueue(isUrgent: isUrgent) { () throws(StoreError) in
                        try database.changePassword(principal.name, current: body.currentPassword, new: body.newPassword, keepingToken: presented)
                    }
                    return true
                } catch let error as StoreError where error.code == .invalid {
                    guard error.message.contains("current") else { throw Problem.unprocessable(error.message, field: "newPassword") }
                    return nil
                }
            }
            guard changed != nil else { throw Problem.unprocessable("the current password is wrong", field: "currentPassword") }
            return Response(status: .noContent)
        }
        group.get("me/tokens") { _, context in
            let principal = try context.requirePrincipal()
            return try JSONResponse.make(try dependencies.database.tokens(ofUser: principal.name))
        }
        group.delete("me/tokens/:tokenId") { _, context in
            let principal = try context.requirePrincipal()
            guard let tokenId = Int64(try context.parameters.require("tokenId")) else { throw Problem.notFound("no such token") }
            try revoke(tokenId, of: principal.name, actor: principal.name)
            return Response(status: .noContent)
        }
        group.patch("users/:name") { request, context in
            let principal = try context.requirePrincipal()
            let user = try manageableUser(try context.parameters.require("name"), principal)
            let body = try await JSONBody.decode(UserChange.self, from: request, allowedFields: ["disabled"])
            if let disabled = body.disabled {
                guard !(disabled && user.name == principal.name) else { throw Problem.unprocessable("you cannot disable yourself", field: "disabled") }
                try dependencies.database.setUserDisabled(user.name, disabled, actor: principal.name)
            }
            return try JSONResponse.make(try dependencies.database.user(named: user.name))
        }
        group.post("users/:name/password") { _, context in
            let principal = try context.requirePrincipal()
            let user = try manageableUser(try context.parameters.require("name"), principal)
            let database = dependencies.database
            let password = try await database.onPasswordQueue { () throws(StoreError) in try database.resetPassword(user.name, actor: principal.name) }
            return try JSONResponse.make(ResetPassword(user: user, password: password))
        }
        group.get("users/:name/tokens") { _, context in
            let principal = try context.requirePrincipal()
            let user = try manageableUser(try context.parameters.require("name"), principal)
            return try JSONResponse.make(try dependencies.database.tokens(ofUser: user.name))
        }
        group.delete("users/:name/tokens/:tokenId") { _, context in
            let principal = try context.requirePrincipal()
            let user = try manageableUser(try context.parameters.require("name"), principal)
            guard let tokenId = Int64(try context.parameters.require("tokenId")) else { throw Problem.notFound("no such token") }
            try revoke(tokenId, of: user.name, actor: principal.name)
            return Response(status: .noContent)
        }
        group.post("calendar-feeds") { request, context in
            let principal = try context.requirePrincipal()
            let body = try await JSONBody.decode(NewFeed.self, from: request, allowedFields: ["unitId", "hallId"])
            let path: String
            switch (body.unitId, body.hallId) {
            case (let unitId?, nil):
                guard dependencies.policy.tree.unit(unitId) != nil else { throw Problem.unprocessable("no unit \(unitId)", field: "unitId") }
                try dependencies.authorize(principal, .readMeetings, onUnit: unitId)
                path = "/api/v1/units/\(unitId)/calendar.ics"
            case (nil, let hallId?):
                guard let hall = dependencies.policy.tree.hall(hallId) else { throw Problem.unprocessable("no hall \(hallId)", field: "hallId") }
                try dependencies.authorize(principal, .readMeetings, onUnit: hall.unitId)
                path = "/api/v1/halls/\(hallId)/calendar.ics"
            default:
                throw Problem.badRequest("give either \"unitId\" or \"hallId\"", field: "unitId")
            }
            let token = try dependencies.database.issueCalendarFeedToken(forUser: principal.name, calendarPath: path, actor: principal.name)
            let issued = try dependencies.database.tokens(ofUser: principal.name).first { $0.calendarPath == path && $0.revokedAt == nil }
            return try JSONResponse.make(IssuedFeed(id: issued?.id ?? 0, url: "\(path)?token=\(token)", expiresAt: issued?.expiresAt), status: .created)
        }
        group.get("calendar-feeds") { _, context in
            let principal = try context.requirePrincipal()
            return try JSONResponse.make(try dependencies.database.tokens(ofUser: principal.name).filter { $0.calendarPath != nil })
        }
        group.delete("calendar-feeds/:id") { _, context in
            let principal = try context.requirePrincipal()
            guard let id = Int64(try context.parameters.require("id")),
                  try dependencies.database.tokens(ofUser: principal.name).contains(where: { $0.id == id && $0.calendarPath != nil }) else {
                throw Problem.notFound("you have no calendar feed \(try context.parameters.require("id"))")
            }
            try revoke(id, of: principal.name, actor: principal.name)
            return Response(status: .noContent)
        }
    }

    private func revoke(_ tokenId: Int64, of userName: String, actor: String) throws {
        do {
            try dependencies.database.revokeToken(id: tokenId, ofUser: userName, actor: actor)
        } catch {
            if error.code == .notFound { throw Problem.notFound(error.message) }
            throw error
        }
    }

    /// The user `name`, if the caller manages users and the user is in the caller's subtree; a user
    /// outside it answers like one that does not exist. Users of the whole tree need an administrator
    /// of the whole tree.
    private func manageableUser(_ name: String, _ principal: Principal) throws -> UserInfo {
        try dependencies.authorize(principal, .manageUsers)
        guard let user = try dependencies.database.user(named: name) else { throw Problem.notFound("no user \(name)") }
        let unit = user.unitId ?? dependencies.policy.tree.rootUnitId
        guard dependencies.policy.decide(principal, .manageUsers, onUnit: unit) == .allowed else { throw Problem.notFound("no user \(name)") }
        return user
    }
}
