import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

/// People control their sign-ins: passwords are changed and reset, tokens listed and revoked, and a
/// disabled user's tokens stop at once.
@Suite(.serialized) struct CredentialAPITests {
    @Test func administratorsDisableResetAndRevokeWithinTheirSubtree() async throws {
        try await withInProcessServer { client, database, _ in
            try database.createUser(name: "admin-cj", role: .admin, unitId: "cu-jut", password: "a long admin password", actor: "test")
            try database.createUser(name: "staff", role: .viewer, unitId: "cu-jut", password: "the staff password", actor: "test")
            let admin = try await client.login("admin-cj", "a long admin password")
            let staff = try await client.login("staff", "the staff password")
            let cli = try database.issueToken(forUser: "staff", label: "cli", actor: "test")

            // Listing shows labels and dates, never a token.
            let listed = try await client.send("GET", "/api/v1/users/staff/tokens", token: admin)
            #expect(listed.status == 200 && listed.jsonArray.count == 2)
            #expect(!listed.text.contains(staff) && !listed.text.contains(cli))
            let cliId = try #require(listed.jsonArray.first { $0["label"] as? String == "cli" }?["id"] as? Int)
            #expect(try await client.send("DELETE", "/api/v1/users/staff/tokens/\(cliId)", token: admin).status == 204)
            #expect(try await client.send("GET", "/api/v1/me", token: cli).status == 401, "a revoked token stops at once")
            #expect(try await client.send("GET", "/api/v1/me", token: staff).status == 200, "the others keep working")

            // Disabling stops every token at once; enabling again does not bring them back.
            let disabled = try await client.send("PATCH", "/api/v1/users/staff", token: admin, json: #"{"disabled":true}"#)
            #expect(disabled.status == 200 && disabled.json["isDisabled"] as? Bool == true, "\(disabled.text)")
            #expect(try await client.send("GET", "/api/v1/me", token: staff).status == 401)
            #expect(try await client.send("POST", "/auth/token", json: #"{"name":"staff","password":"the staff password"}"#).status == 401)
            #expect(try await client.send("PATCH", "/api/v1/users/staff", token: admin, json: #"{"disabled":false}"#).status == 200)
            #expect(try await client.send("GET", "/api/v1/me", token: staff).status == 401)

            // A reset gives a new password once and revokes every token.
            let again = try await client.login("staff", "the staff password")
            let reset = try await client.send("POST", "/api/v1/users/staff/password", token: admin)
            let password = try #require(reset.json["password"] as? String)
            #expect(try await client.send("GET", "/api/v1/me", token: again).status == 401)
            _ = try await client.login("staff", password)
            #expect(try await client.send("POST", "/auth/token", json: #"{"name":"staff","password":"the staff password"}"#).status == 401)
            #expect(try await client.send("PATCH", "/api/v1/users/admin-cj", token: admin, json: #"{"disabled":true}"#).status == 422, "not yourself")
            let actions = try database.auditEntries(limit: 30).map(\.action)
            #expect(actions.contains("user.disabled") && actions.contains("password.reset") && actions.contains("token.revoked"))
        }
    }

    @Test func peopleChangeTheirOwnPasswordGivingTheCurrentOne() async throws {
        try await withInProcessServer { client, database, _ in
            try database.createUser(name: "vp", role: .secretariat, unitId: nil, password: "the first password", actor: "test")
            let token = try await client.login("vp", "the first password")
            let wrong = try await client.send("POST", "/api/v1/me/password", token: token, json: #"{"currentPassword":"a guess at it","newPassword":"the second password"}"#)
            #expect(wrong.status == 422 && wrong.json["field"] as? String == "currentPassword")
            let short = try await client.send("POST", "/api/v1/me/password", token: token, json: #"{"currentPassword":"the first password","newPassword":"short"}"#)
            #expect(short.status == 422 && short.json["field"] as? String == "newPassword")
            let elsewhere = try await client.login("vp", "the first password")
            #expect(try await client.send("POST", "/api/v1/me/password", token: token, json: #"{"currentPassword":"the first password","newPassword":"the second password"}"#).status == 204)
            #expect(try await client.send("GET", "/api/v1/me", token: elsewhere).status == 401, "a changed password ends the other sessions")
            #expect(try await client.send("GET", "/api/v1/me", token: token).status == 200, "the one it was changed from stays")
            let second = try await client.login("vp", "the second password")
            #expect(try await client.send("POST", "/auth/token", json: #"{"name":"vp","password":"the first password"}"#).status == 401)
            let tokens = try await client.send("GET", "/api/v1/me/tokens", token: token).jsonArray
            #expect(tokens.count == 3)
            let secondId = try #require(tokens.first?["id"] as? Int)
            #expect(try await client.send("DELETE", "/api/v1/me/tokens/\(secondId)", token: token).status == 204)
            #expect(try await client.send("GET", "/api/v1/me", token: second).status == 401, "one's own token revoked from elsewhere")
        }
    }
}
