// Command casenotes is the composition root: it wires the storage adapter into the
// app's services, runs a command-line subcommand, or opens the desktop app. It is
// the only file that imports Fyne's desktop driver.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"casenotes/app"
	"casenotes/assets"
	"casenotes/storage"
	"casenotes/ui"
	"casenotes/ui/cli"
	_ "casenotes/ui/locale" // before Fyne reads the locale: see the package
)

func main() {
	restrictNewFiles()
	log.SetFlags(0)
	log.SetPrefix("casenotes: ")
	log.SetOutput(ui.WithoutFyneNoise(os.Stderr)) // see the function: a Fyne 2.7.1 report at every file dialog
	vaults := app.NewVaults(&storage.Disk{})
	env := &cli.Env{
		Args:         os.Args[1:],
		Stdin:        os.Stdin,
		Stdout:       os.Stdout,
		Stderr:       os.Stderr,
		Vaults:       vaults,
		DefaultVault: defaultVaultDir(),
		Desktop:      func(dir string) int { return runDesktop(vaults, dir) },
	}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		env.Terminal = promptTerminal
	}
	os.Exit(cli.Run(env))
}

// appID is the app's identity for the desktop: the name of its installed desktop
// file and of its preferences folder. It is FyneApp.toml's ID.
const appID = "org.casenotes.Casenotes"

// defaultVaultDir is the per-user vault location.
func defaultVaultDir() string {
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "casenotes", "vault")
}

// promptTerminal reads a passphrase without echo.
func promptTerminal(prompt string) ([]byte, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return b, err
}

// runDesktop opens the desktop app on the vault directory.
func runDesktop(vaults *app.Vaults, dir string) int {
	ui.ReserveProcForUI()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG()))
	w := a.NewWindow("Casenotes")
	shell := ui.NewShell(a, w, vaults, dir)
	vaults.Migrating = shell.ShowMigration
	if c := demoClock(); c != nil {
		shell.UseClock(c)
	}
	shell.Start()
	w.ShowAndRun()
	return 0
}
