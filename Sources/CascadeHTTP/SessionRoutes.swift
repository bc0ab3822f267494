import CascadeCore
import CascadeStore
import Hummingbird

/// `POST /auth/token`: exchange a name and password for a bearer token (the web UI's login).
struct SessionRoutes {
    let database: AppDatabase

    struct Login: Decodable {
        var name: String
        var password: String
        var label: String?
    }

    struct IssuedToken: Encodable {
        var token: String
        var user: Principal
    }

    func register(on router: Router<AppRequestContext>) {
        router.post("auth/token") { request, _ in
            let login = try await JSONBody.decode(Login.self, from: request, allowedFields: ["name", "password", "label"])
            guard let principal = try database.verifyPassword(name: login.name, password: login.password) else {
                throw Problem.unauthorized("the name or password is wrong")
            }
            let label = String((login.label ?? "login").prefix(100))
            let token = try database.issueToken(forUser: principal.name, label: label, actor: principal.name)
            return try JSONResponse.make(IssuedToken(token: token, user: principal), status: .created)
        }
    }
}
