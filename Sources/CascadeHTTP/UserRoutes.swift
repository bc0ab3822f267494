import CascadeCore
import CascadeStore
import Hummingbird

/// `/api/v1/me`, `/api/v1/users` and `/api/v1/audit`.
struct UserRoutes {
    let dependencies: HTTPDependencies

    struct NewUser: Decodable {
        var name: String
        var role: String
        var unitId: String?
    }

    struct CreatedUser: Encodable {
        var user: UserInfo
        var password: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("me") { _, context in try JSONResponse.make(try context.requirePrincipal()) }
        group.get("users") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .manageUsers)
            let visible = try dependencies.database.users().filter { user in
                user.unitId.map { dependencies.policy.canSee(principal, unit: $0) } ?? (principal.scopeUnitId == nil)
            }
            return try JSONResponse.make(visible)
        }
        group.post("users") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .manageUsers)
            let body = try await JSONBody.decode(NewUser.self, from: request, allowedFields: ["name", "role", "unitId"])
            guard let role = Role(rawValue: body.role) else {
                throw Problem.unprocessable("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))", field: "role")
            }
            if let unitId = body.unitId, dependencies.policy.tree.unit(unitId) == nil {
                throw Problem.unprocessable("unit \(unitId) is not in the configured tree", field: "unitId")
            }
            // A scoped administrator may only create users inside their own subtree.
            try dependencies.authorize(principal, .manageUsers, onUnit: body.unitId ?? dependencies.policy.tree.rootUnitId)
            let password = Secrets.password()
            let database = dependencies.database
            let user = try await database.onPasswordQueue { () throws(StoreError) in
                try database.createUser(name: body.name, role: role, unitId: body.unitId, password: password, actor: principal.name)
            }
            return try JSONResponse.make(CreatedUser(user: user, password: password), status: .created)
        }
        group.get("audit") { request, context in
            let principal = try context.requirePrincipal()
            // Entries carry no unit (sign-ins, users, every unit's meetings): only an administrator of
            // the whole tree reads them.
            try dependencies.authorize(principal, .readAudit, onUnit: dependencies.policy.tree.rootUnitId)
            let query = request.uri.queryParameters
            let limitText = query.get("limit") ?? "100"
            guard let limit = Int(limitText), (1...1000).contains(limit) else {
                throw Problem.badRequest("limit must be an integer from 1 to 1000", field: "limit")
            }
            let before = try query.get("before").map { text in
                guard let id = Int64(text) else { throw Problem.badRequest("before must be an audit entry id", field: "before") }
                return id
            }
            let actor = query.get("actor").flatMap { $0.isEmpty ? nil : $0 }
            let action = query.get("action").flatMap { $0.isEmpty ? nil : $0 }
            let target = query.get("target").flatMap { $0.isEmpty ? nil : $0 }
            return try JSONResponse.make(try await dependencies.offloaded {
                try $0.auditEntries(limit: limit, beforeId: before, actor: actor, action: action, target: target)
            })
        }
    }
}
