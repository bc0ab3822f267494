// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "cascade",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cascade", targets: ["cascade"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CascadeCore", swiftSettings: strictSwift),
        .systemLibrary(
            name: "CGStreamer",
            pkgConfig: "gstreamer-1.0",
            providers: [.apt(["libgstreamer1.0-dev", "libsrt-gnutls-dev"])]
        ),
        // The C that needs to be C (threads, locks, pad probes, libsrt's accept loop, the splice), in
        // .c files SwiftPM tracks; Swift sees its declarations through CGStreamer's cascade_media.h.
        .target(
            name: "CCascadeMedia",
            dependencies: ["CGStreamer"],
            publicHeadersPath: ".",
            cSettings: [.headerSearchPath("../CGStreamer")]
        ),
        .target(
            name: "CascadeMedia",
            dependencies: [
                "CascadeCore", "CGStreamer", "CCascadeMedia",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CascadeStore",
            dependencies: [
                "CascadeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CascadeEngine",
            dependencies: [
                "CascadeCore", "CascadeMedia",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CascadeHTTP",
            dependencies: [
                "CascadeCore", "CascadeStore", "CascadeEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [
                .embedInCode("Resources/openapi.yaml"),
                .embedInCode("Resources/index.html"),
                .embedInCode("Resources/app.css"),
                .embedInCode("Resources/app.js"),
                .embedInCode("Resources/api.js"),
                .embedInCode("Resources/ui.js"),
                .embedInCode("Resources/strings.js"),
                .embedInCode("Resources/strings-vi.js"),
                .embedInCode("Resources/strings-en.js"),
                .embedInCode("Resources/calendar.js"),
                .embedInCode("Resources/booking.js"),
                .embedInCode("Resources/meeting.js"),
                .embedInCode("Resources/rollcall.js"),
                .embedInCode("Resources/minutes.js"),
                .embedInCode("Resources/console.js"),
                .embedInCode("Resources/archive.js"),
                .embedInCode("Resources/admin.js"),
                .embedInCode("Resources/player.js"),
                .embedInCode("Resources/watch.html"),
                .embedInCode("Resources/watch.css"),
                .embedInCode("Resources/watch.js"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CascadeApp",
            dependencies: [
                "CascadeCore", "CascadeMedia", "CascadeStore", "CascadeEngine", "CascadeHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cascade",
            dependencies: [
                "CascadeApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cascade-booking-benchmark",
            dependencies: [
                "CascadeApp", "CascadeStore", "CascadeCore", "CascadeTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "bench/BookingBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cascade-scheduler-benchmark",
            dependencies: [
                "CascadeApp", "CascadeEngine", "CascadeStore", "CascadeCore", "CascadeTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/SchedulerBenchmark",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cascade-archive-benchmark",
            dependencies: ["CascadeApp", "CascadeEngine", "CascadeStore", "CascadeCore", "CascadeTestSupport"],
            path: "bench/ArchiveBenchmark",
            swiftSettings: strictSwift
        ),
        .target(
            name: "CascadeTestSupport",
            dependencies: ["CascadeApp", "CascadeCore", "CascadeEngine", "CascadeStore", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Tests/Support",
            swiftSettings: strictSwift
        ),
        .testTarget(name: "CascadeCoreTests", dependencies: ["CascadeCore"], swiftSettings: strictSwift),
        .testTarget(name: "CascadeMediaTests", dependencies: ["CascadeMedia", "CascadeCore", "CascadeTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "CascadeStoreTests", dependencies: ["CascadeStore", "CascadeCore", "CascadeTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "CascadeEngineTests", dependencies: ["CascadeEngine", "CascadeCore", "CascadeMedia", "CascadeTestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "CascadeHTTPTests",
            dependencies: [
                "CascadeHTTP", "CascadeApp", "CascadeStore", "CascadeCore", "CascadeEngine", "CascadeTestSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "CascadeAppTests", dependencies: ["CascadeApp", "CascadeCore", "CascadeEngine", "CascadeStore", "CascadeTestSupport"], swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)
