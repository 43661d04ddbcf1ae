package app

// Version is the Casenotes release, kept equal to FyneApp.toml's Version (a test
// checks), and written into exports and bundles.
const Version = "0.1.0"
