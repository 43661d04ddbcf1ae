package app

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Demo note text. Search is measured on seeded vaults, so a demo note must read like
// a real one: a few lines to a page, English with Spanish where the young person or
// the family speaks it, accented names, nicknames, streets, hotels, phone fragments
// and report numbers, with the long tail of rare words a real vault has. Every name,
// place and number is invented: phone numbers are in the 555-01xx range kept for
// fiction, plates and report numbers are random, and the people are demo team
// members or invented family members and contacts, never a real case.

var (
	demoFirstNames = []string{"Andrés", "José", "María", "Lucía", "Martín", "Inés", "Raúl", "Sofía",
		"Tomás", "Ramón", "Zoë", "Chloé", "Jordan", "Tyler", "Brianna", "Keisha", "Dakota", "Marcus",
		"Héctor", "Adrián", "Mónica", "Verónica", "Joaquín", "Élodie", "Renée", "Nicolás"}
	demoSurnames = []string{"Quispe-Martínez", "Núñez", "Ibáñez", "Peña", "Muñoz", "Gómez", "Hernández",
		"Castañeda", "Olmedo", "Ortíz", "Sáenz", "Villaseñor", "Bélanger", "Ångström", "Whitfield",
		"Okonkwo", "Harrow", "Delaney", "Brennan", "Kowalski", "Nakamura", "Fonseca", "Zúñiga", "Cortés"}
	demoRelations = []string{"aunt", "grandmother", "older sister", "cousin", "foster parent",
		"mother", "uncle", "older brother", "godmother"}
	demoNicknames = []string{"Flaco", "Güero", "Chato", "Smoke", "Lil Ray", "Canela", "Niño", "Jefe",
		"Tank", "Bebé", "Manny G", "Ghost", "Primo", "Dulce", "Kilo", "Rocket"}
	demoStreets = []string{"Harbor Street", "Linden Avenue", "Calle Peñasco", "Riverside Drive",
		"Orchard Lane", "Avenida Los Álamos", "Foundry Road", "Mesquite Court", "Calle Ñandú",
		"Beacon Boulevard", "Old Mill Road", "Camino Real Sur"}
	demoHotels = []string{"Harborview Inn", "Sunset Motor Lodge", "Pine Ridge Motel", "Hotel Alcázar",
		"Bayside Suites", "Starlite Motel", "Cielo Azul Inn", "Gateway Extended Stay", "Red Mesa Lodge"}
	demoPlaces = []string{"the bus station", "the mall on Route 9", "the truck stop off the interstate",
		"the laundromat on the corner", "the park by the river", "a fast-food place near school",
		"the transit center", "a friend's apartment", "the flea market"}
	demoApps = []string{"Snapchat", "Instagram", "WhatsApp", "Telegram", "a gaming chat",
		"a classified ads site", "TikTok", "a dating app"}
	demoDays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	demoDias = []string{"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"}
)

// demoEnglish are the sentence patterns of English notes. A slot is a word in
// braces; demoSentence fills it.
var demoEnglish = []string{
	"Met with the young person at the children's advocacy center with the advocate present.",
	"Discussed the safety plan, the triggers we agreed on and who the safe adults are.",
	"Phone call with the placement at {time}; the young person is settled and ate dinner.",
	"Referral made for trauma-focused therapy at {partner}; waiting for an intake date.",
	"MDT pre-brief held before the forensic interview; roles confirmed for {day}.",
	"School liaison reports attendance has improved this week and grades are steady.",
	"Advocate accompanied the young person to the medical appointment at {time}.",
	"Reviewed online advertisements identified by the analyst; two posts list {phone}.",
	"Prosecutor asked for the timeline of missing episodes before the charging meeting.",
	"Follow-up visit; no new concerns raised.",
	"The young person mentioned a man called {nick} who drives a {car} with plate {plate}.",
	"{nick} reportedly keeps the young person's phone and posts on {app}.",
	"Canvass of the {n}00 block of {street}; the manager of {hotel} did not recognize anyone in the photo array.",
	"Hotel records subpoenaed from {hotel} for the nights of {day} and the following weekend.",
	"Spoke with {first} {last}, the young person's {relation}, who asked for a call back at {phone}.",
	"{first} {last} ({relation}) agreed to be a safe adult in the safety plan.",
	"Contact at {place} around {time}; the young person was tired but talked for a while.",
	"Patrol report {report} notes the young person was seen near {street} with two adults.",
	"Missing episode reported by the placement on {day}; the young person returned the next morning.",
	"Checked the number {phone} against the tip line log; one earlier tip from {month}.",
	"Advocate reviewed victim compensation forms with the young person and {relation}.",
	"Interpreter {first} {last} joined by phone; the young person preferred Spanish for this part.",
	"The young person asked that {nick} not be told where the placement is.",
	"Detective {last} requested the {app} account preservation letter be sent today.",
	"Court date set for {day}; the victim-witness advocate will explain what to expect.",
	"Placement staff found a second phone; it was booked in under report {report}.",
	"Therapist at {partner} confirmed the young person attended two sessions this month.",
	"The young person described meeting {nick} at {place} last {month}.",
	"Receipts from {hotel} show a room paid in cash under the name {first} {last}.",
	"Supervisor reviewed the case file and asked for the evidence log to be updated.",
	"Advocate arranged transportation so the young person can keep the dentist appointment.",
	"Safety plan updated after the young person reported messages from {phone}.",
	"Outreach worker saw the young person near {street} and called the placement.",
	"The young person said {nick} took photographs at {hotel}; referred to the digital forensics unit.",
	"Court advocate {first} {last} will attend the hearing on {day} with the young person.",
	"Medical exam completed by the pediatric examiner; results go to the file by reference only.",
	"Team agreed the young person will not be asked about the events again before the interview.",
	"Financial records show payments to an account in the name of {first} {last}.",
	"The young person's {relation} reported a car parked outside the home at night, plate {plate}.",
	"Left a voicemail for {first} {last} at {phone}; will try again on {day}.",
}

// demoSpanish are notes' sentences in Spanish, for young people and families who
// speak it: quoted or summarized as said.
var demoSpanish = []string{
	"La joven dijo que {nick} la llevó al {hotel} el {dia} por la noche.",
	"Habló con su {relacion} por teléfono; se siente más tranquila en la colocación.",
	"Pidió intérprete para la próxima reunión con la fiscalía.",
	"La señora {last} confirmó la cita médica del {dia} a las {time}.",
	"Dijo que {nick} le quitó el teléfono y le daba órdenes por {app}.",
	"La familia pregunta si la niña puede seguir en la misma escuela este año.",
	"Se habló del plan de seguridad y de los adultos de confianza.",
	"Según la tía, un hombre llamado {nick} llamó desde el número {phone}.",
	"La joven reconoció la calle {street} y el motel cerca de la estación de autobuses.",
	"Mañana la defensora la acompaña al médico; la cita es a las {time}.",
	"Contó que conoció a {nick} en {app} y que le prometió trabajo y ropa.",
	"La abuela, {first} {last}, quiere hablar con la terapeuta antes del {dia}.",
}

var demoMonths = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

var demoCars = []string{"gray sedan", "black pickup", "white van", "red hatchback", "silver SUV"}

// demoNoteBody writes the text of one demo note: mostly a few sentences, now and
// then a long report or a one-line contact; in Spanish-speaking cases about one
// sentence in three is in Spanish.
func demoNoteBody(rng *rand.Rand, spanish bool, partner string) string {
	n := 3 + rng.IntN(6)
	switch r := rng.IntN(10); {
	case r == 0:
		n = 1 + rng.IntN(2)
	case r == 1:
		n = 10 + rng.IntN(8)
	}
	var b strings.Builder
	b.WriteString("[Demo] ")
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		pat := demoEnglish[rng.IntN(len(demoEnglish))]
		if spanish && rng.IntN(3) == 0 {
			pat = demoSpanish[rng.IntN(len(demoSpanish))]
		}
		b.WriteString(demoSentence(rng, pat, partner))
	}
	return b.String()
}

// demoSentence fills the slots of a pattern.
func demoSentence(rng *rand.Rand, pat, partner string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(pat, '{')
		if i < 0 {
			b.WriteString(pat)
			return b.String()
		}
		j := strings.IndexByte(pat[i:], '}')
		if j < 0 {
			b.WriteString(pat)
			return b.String()
		}
		b.WriteString(pat[:i])
		b.WriteString(demoSlot(rng, pat[i+1:i+j], partner))
		pat = pat[i+j+1:]
	}
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

// demoSlot is one filled slot.
func demoSlot(rng *rand.Rand, slot, partner string) string {
	switch slot {
	case "first":
		return pick(rng, demoFirstNames)
	case "last":
		return pick(rng, demoSurnames)
	case "relation", "relacion":
		if slot == "relacion" {
			return pick(rng, []string{"tía", "abuela", "prima", "madre", "hermana mayor", "madrina"})
		}
		return pick(rng, demoRelations)
	case "nick":
		return pick(rng, demoNicknames)
	case "street":
		return pick(rng, demoStreets)
	case "hotel":
		return pick(rng, demoHotels)
	case "place":
		return pick(rng, demoPlaces)
	case "app":
		return pick(rng, demoApps)
	case "day":
		return pick(rng, demoDays)
	case "dia":
		return pick(rng, demoDias)
	case "month":
		return pick(rng, demoMonths)
	case "car":
		return pick(rng, demoCars)
	case "partner":
		return partner
	case "n":
		return fmt.Sprint(1 + rng.IntN(48))
	case "time":
		h, m := 7+rng.IntN(12), 5*rng.IntN(12)
		if h < 12 {
			return fmt.Sprintf("%d:%02d AM", h, m)
		}
		return fmt.Sprintf("%d:%02d PM", (h-1)%12+1, m)
	case "phone":
		return fmt.Sprintf("555-01%02d", rng.IntN(100))
	case "plate":
		const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
		return fmt.Sprintf("%d%c%c%c%03d", 1+rng.IntN(9), letters[rng.IntN(len(letters))],
			letters[rng.IntN(len(letters))], letters[rng.IntN(len(letters))], rng.IntN(1000))
	case "report":
		return fmt.Sprintf("%02d-%06d", 24+rng.IntN(3), rng.IntN(1_000_000))
	}
	return slot
}
