package app

import (
	"slices"
)

// DefaultIndicators is the controlled list of indicator tags a new vault starts
// with. The words describe what was seen around the child, never the child's
// conduct: the child is a victim, never an offender. A vault can edit the list.
var DefaultIndicators = []string{
	"missing from care",
	"repeated missing episodes",
	"controlling older partner or adult",
	"unexplained money, phones or gifts",
	"contact with unknown adults online",
	"advertised online by others",
	"hotel or short-stay contact",
	"travel with an adult who is not a guardian",
	"signs of physical harm",
	"marks or tattoos suggesting control",
	"pressured into substance use",
	"unstable housing",
	"recruited by a peer",
	"school absence or disengagement",
	"labor exploitation concerns",
	"prior exploitation",
}

var indicatorsKey = Key{Type: RecIndicators}

// indicatorList is the stored form of the vault's list.
type indicatorList struct {
	Tags []string `json:"tags"`
}

// indicators reads the vault's list, or the default when none was saved.
func indicators(t Tx) ([]string, error) {
	var l indicatorList
	err := getJSON(t, indicatorsKey, &l)
	if isNotFound(err) {
		return slices.Clone(DefaultIndicators), nil
	}
	return l.Tags, err
}

// Indicators returns the vault's controlled list of indicator tags.
func (r *Records) Indicators() ([]string, error) {
	var out []string
	err := r.view(func(t Tx) (err error) {
		out, err = indicators(t)
		return err
	})
	return out, err
}

// SetIndicators replaces the vault's indicator list. Tags already on cases stay on
// them; only new tags must come from the list.
func (r *Records) SetIndicators(tags []string) error {
	tags, err := cleanList("indicators", tags, 200, maxShortText)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return Invalid("indicators", "need at least one entry")
	}
	return r.updateEv(AuditEvent{Action: ActSettingsChanged, Reason: "indicators"}, func(t Tx) error {
		return putJSON(t, indicatorsKey, &indicatorList{Tags: tags})
	})
}
