import CascadeCore
import CascadeStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/meetings/{id}/attachments`: PDF, DOCX and ODT files of the minutes, recognised by their
/// content, stored under server-chosen names and always served as downloads.
struct AttachmentRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes
    let archive: ArchiveRoutes

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("meetings/:id/attachments") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try archive.requireMediaAccess(meeting, principal)
            return try JSONResponse.make(try dependencies.database.attachments(ofMeeting: meeting.id).map(view))
        }
        group.post("meetings/:id/attachments") { request, context in
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            guard let directory = dependencies.attachmentsDirectory else { throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "attachments are not kept here") }
            guard let name = request.uri.queryParameters.get("name")?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw Problem.badRequest("name the file: ?name=Bao-cao.pdf", field: "name")
            }
            if let problem = FreeText.problem(in: name) { throw Problem.unprocessable("name: \(problem)", field: "name") }
            guard name.count <= 200 else { throw Problem.unprocessable("name may hold at most 200 characters", field: "name") }
            let limit = dependencies.attachmentMaximumBytes
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit)
            } catch {
                throw Problem(status: .contentTooLarge, code: "too-large", detail: "an attachment may be at most \(limit) bytes")
            }
            let bytes = Array(body.readableBytesView)
            guard !bytes.isEmpty else { throw Problem.unprocessable("the file is empty", field: "body") }
            guard let mediaType = Self.mediaType(of: bytes) else {
                throw Problem(status: .unsupportedMediaType, code: "unsupported-type", detail: "only PDF, DOCX and ODT files are kept (recognised by their content, not their name)")
            }
            // A clerk uploading in a loop must not fill the disk the recordings need: a quota per meeting,
            // and never below the recordings' free-space floor.
            let held = try dependencies.database.attachments(ofMeeting: meeting.id).reduce(Int64(0)) { $0 + $1.bytes }
            guard held + Int64(bytes.count) <= dependencies.attachmentQuotaBytes else {
                throw Problem(status: .init(code: 507), code: "quota-exceeded",
                              detail: "meeting \(meeting.id) already holds \(held >> 20) MiB of attachments; at most \(dependencies.attachmentQuotaBytes >> 20) MiB in all")
            }
            if let shortage = dependencies.recordings?.folders.diskShortage(after: Int64(bytes.count)) {
                throw Problem(status: .init(code: 507), code: "insufficient-storage", detail: "not kept: \(shortage), which recordings need")
            }
            let stored = Secrets.randomHex(bytes: 16) + ".bin"
            let path = (directory as NSString).appendingPathComponent(stored)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw Problem(status: .init(code: 507), code: "cannot-store", detail: "the attachment could not be written")
            }
            let attachment = Attachment(id: 0, meetingId: meeting.id, name: name, mediaType: mediaType, bytes: Int64(bytes.count),
                                        sha256: SHA256.hexDigest(bytes), storedName: stored, uploadedBy: principal.name, uploadedAt: Date())
            do {
                return try JSONResponse.make(view(try dependencies.database.addAttachment(attachment, actor: principal.name)), status: .created)
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
        group.get("meetings/:id/attachments/:attachment") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try archive.requireMediaAccess(meeting, principal)
            let text = try context.parameters.require("attachment")
            guard text.hasPrefix("a"), let id = Int64(text.dropFirst()), let attachment = try dependencies.database.attachment(id),
                  attachment.meetingId == meeting.id, let directory = dependencies.attachmentsDirectory else {
                throw Problem.notFound("meeting \(meeting.id) has no attachment \(text)")
            }
            let path = (directory as NSString).appendingPathComponent(attachment.storedName)
            guard let data = FileManager.default.contents(atPath: path) else { throw Problem.notFound("the file of attachment \(text) is missing") }
            try dependencies.database.appendAudit(actor: principal.name, action: "attachment.download", target: meeting.id, details: "\(text) \(attachment.name)")
            return Response(status: .ok, headers: [
                .contentType: attachment.mediaType, .contentDisposition: ArchiveRoutes.attachmentDisposition(attachment.name),
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", .contentSecurityPolicy: "sandbox", .cacheControl: "private, no-store",
            ], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }

    struct AttachmentView: Encodable {
        var id: String
        var name: String
        var mediaType: String
        var bytes: Int64
        var sha256: String
        var uploadedBy: String
        var uploadedAt: Date
        var url: String
    }

    private func view(_ attachment: Attachment) -> AttachmentView {
        AttachmentView(id: "a\(attachment.id)", name: attachment.name, mediaType: attachment.mediaType, bytes: attachment.bytes, sha256: attachment.sha256,
                       uploadedBy: attachment.uploadedBy, uploadedAt: attachment.uploadedAt,
                       url: "/api/v1/meetings/\(attachment.meetingId)/attachments/a\(attachment.id)")
    }

    /// PDF, DOCX or ODT, told by the bytes: `%PDF-`, or a ZIP whose entries make a Word or OpenDocument text.
    static func mediaType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        let odt = Array("mimetypeapplication/vnd.oasis.opendocument.text".utf8)
        if bytes.count >= 30 + odt.count, Array(bytes[30..<(30 + odt.count)]) == odt { return "application/vnd.oasis.opendocument.text" }
        if contains(bytes, "[Content_Types].xml"), contains(bytes, "word/document.xml") {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        return nil
    }

    private static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
