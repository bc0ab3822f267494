/// A pipeline to build, in two halves that never mix.
///
/// `description` is gst-launch syntax made only of Cascade's own element names, constants and
/// numbers. Everything that comes from a person or from configuration — a title on the slate, a
/// caption, a source URI, a file location, the halls' addresses — travels in `settings` and is set
/// with `g_object_set` on a named element after parsing, so no text can become an element.
public struct PipelineRecipe: Sendable, Hashable, Codable {
    /// gst-launch syntax without any user-supplied text.
    public var description: String
    /// String values set on named elements after parsing, before the pipeline plays.
    public var settings: [ElementSetting]

    /// Creates a recipe.
    public init(_ description: String, settings: [ElementSetting] = []) {
        self.description = description
        self.settings = settings
    }
}

/// One string property of a named element, set as it is (never parsed).
public struct ElementSetting: Sendable, Hashable, Codable {
    /// The element's `name=…` in the description.
    public var element: String
    /// The property, e.g. `text`, `uri`, `location`.
    public var property: String
    /// The value, byte for byte.
    public var value: String

    /// Creates a setting.
    public init(element: String, property: String, value: String) {
        self.element = element
        self.property = property
        self.value = value
    }
}

extension PipelineRecipe {
    /// Two fragments of one pipeline, side by side: the descriptions joined by a space, the settings of both.
    public static func + (lhs: PipelineRecipe, rhs: PipelineRecipe) -> PipelineRecipe {
        let description = [lhs.description, rhs.description].filter { !$0.isEmpty }.joined(separator: " ")
        return PipelineRecipe(description, settings: lhs.settings + rhs.settings)
    }

    /// A recipe whose description is `description` and that keeps these settings.
    func replacingDescription(_ transform: (String) -> String) -> PipelineRecipe {
        PipelineRecipe(transform(description), settings: settings)
    }
}
