package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"casenotes/app"
)

// runTemplate manages the MDT checklist templates (docs/checklist.md): list them,
// import an agency's own from its JSON file, and choose the one new cases start
// from. Open cases keep the template version they started with.
func runTemplate(e *Env, g *globals, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runTemplateList(e, g, args[1:])
		case "import":
			return runTemplateImport(e, g, args[1:])
		case "default":
			return runTemplateDefault(e, g, args[1:])
		}
	}
	return usagef("template: the subcommands are: template list [--json], template import FILE [--default], template default ID VERSION")
}

func runTemplateList(e *Env, g *globals, args []string) error {
	fs := newFlagSet("template list", e)
	asJSON := fs.Bool("json", false, "print the list as a JSON array")
	if _, err := parse(fs, g, args, 0); err != nil {
		return err
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	list, err := r.Templates()
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Version int    `json:"version"`
			Items   int    `json:"items"`
			Builtin bool   `json:"builtin"`
			Default bool   `json:"default"`
		}
		rows := make([]row, 0, len(list))
		for _, t := range list {
			rows = append(rows, row{t.ID, t.Name, t.Version, t.Items, t.Builtin, t.Default})
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tITEMS\tNAME\t")
	for _, t := range list {
		mark := ""
		switch {
		case t.Default:
			mark = "new cases start from this one"
		case t.Builtin:
			mark = "built in"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", t.ID, t.Version, t.Items, t.Name, mark)
	}
	return tw.Flush()
}

func runTemplateImport(e *Env, g *globals, args []string) error {
	fs := newFlagSet("template import", e)
	makeDefault := fs.Bool("default", false, "also make it the template new cases start from")
	rest, err := parseAnywhere(fs, g, args, 1)
	if err != nil {
		return err
	}
	f, err := openInput("template file", rest[0])
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(f, app.MaxTemplateBytes+1))
	f.Close()
	if err != nil {
		return unreadable("template file", rest[0], err)
	}
	tpl, err := app.ParseTemplate(b)
	if err != nil {
		return err
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	if err := r.SaveTemplate(tpl); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Saved template %s version %d (%d items).\n", tpl.ID, tpl.Version, len(tpl.Items))
	if !*makeDefault {
		fmt.Fprintf(e.Stdout, "New cases still start from the current default; run casenotes template default %s %d to change it.\n", tpl.ID, tpl.Version)
		return nil
	}
	if err := r.SetDefaultTemplate(tpl.ID, tpl.Version); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, "New cases start from it; open cases keep the checklist they started with.")
	return nil
}

func runTemplateDefault(e *Env, g *globals, args []string) error {
	fs := newFlagSet("template default", e)
	rest, err := parseAnywhere(fs, g, args, 2)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(rest[1])
	if err != nil || version < 1 {
		return usagef("template default: VERSION must be a whole number from 1")
	}
	r, done, err := openRecords(e, g)
	if err != nil {
		return err
	}
	defer done()
	list, err := r.Templates()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(t app.TemplateInfo) bool { return t.ID == rest[0] && t.Version == version }) {
		return &sentenceError{fmt.Sprintf("There is no template %s version %d in this vault; casenotes template list shows the ones there are. Nothing was changed.", rest[0], version)}
	}
	if err := r.SetDefaultTemplate(rest[0], version); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "New cases start from template %s version %d; open cases keep the checklist they started with.\n", rest[0], version)
	return nil
}
