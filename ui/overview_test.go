package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"casenotes/app"
	"casenotes/ui/format"
)

// TestOverviewShowsEveryVictimField: every field of the victim profile that was
// entered shows on the Overview. The check walks app.Victim (and its screening)
// field by field, so a field added later without a place on the screen fails here.
func TestOverviewShowsEveryVictimField(t *testing.T) {
	v := app.Victim{
		Alias: "Rosa M.", Age: 15, AgeBand: "15-17", Gender: "nonbinary",
		Languages: []string{"Spanish", "Mixteco"}, InterpreterNeeded: true,
		GuardianType: "child welfare agency", PlacementType: "foster care",
		Screening: &app.Screening{Tool: "Demo screening tool", Version: "2.1",
			Date: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Screener: "Adv. Kim", Concern: "high"},
	}
	f := victimForm(v)
	var shown []string
	for _, it := range f.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			shown = append(shown, it.Text+": "+l.Text)
		}
	}
	text := strings.Join(shown, "\n")
	var check func(prefix string, rv reflect.Value)
	check = func(prefix string, rv reflect.Value) {
		for i := range rv.NumField() {
			name, f := prefix+rv.Type().Field(i).Name, rv.Field(i)
			var want []string
			switch f.Kind() {
			case reflect.String:
				want = []string{f.String()}
			case reflect.Int:
				want = []string{fmt.Sprint(f.Int())}
			case reflect.Bool:
				want = []string{"needed"}
			case reflect.Slice:
				want = f.Interface().([]string)
			case reflect.Pointer:
				check(name+".", f.Elem())
				continue
			case reflect.Struct:
				want = []string{format.Date(f.Interface().(time.Time))}
			default:
				t.Fatalf("%s: the test does not know how to look for a %s", name, f.Kind())
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s %q is not on the Overview:\n%s", name, w, text)
				}
			}
		}
	}
	check("", reflect.ValueOf(v))
}
