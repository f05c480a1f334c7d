"""The demo's projects: every stage of the five shipped definitions, with realistic histories.

See :mod:`workflow.demo.data` for what ``days``, ``scenario`` and int dates mean. Fields a
gate needs and a project leaves out are filled with plausible defaults on the way.
"""

from __future__ import annotations

from workflow.demo.data import DemoApplication as A
from workflow.demo.data import DemoCondition as C
from workflow.demo.data import DemoProject as P
from workflow.demo.data import DemoReport as R
from workflow.demo.data import Detour

_HJEM = "Hjemmetjenesten"
_FRAVAER_FEEDBACK = (
    "Karakter 4 på forskning, 3 på virkninger og effekter og 3 på gjennomføring. Panelet "
    "savner en plan for hvordan varslingsløpet skal tas i bruk på alle skolene, og "
    "brukermedvirkning fra elever og foresatte."
)

# fmt: off
IPO = (
    P("ipo", "Sosiale roboter mot ensomhet hos hjemmeboende eldre", "per", "helse_velferd",
      "Kan en enkel sosial robot gi hjemmeboende eldre mer kontakt med familie og nærmiljø?",
      "idea", (40, 2), "review_kommune",
      fields={"need": "Om lag hver fjerde hjemmeboende over 75 år i Trondheim oppgir at de "
              "ofte er ensomme. Ensomhet øker risikoen for depresjon og tidlig sykehjemsplass."},
      partners=(("ntnu-ism", "Forskningsansvarlig"), ("tk-helse-velferd", "Tjenesteeier"))),
    P("ipo", "Klimatilpasset overvannshåndtering i bydelene", "lars", "byutvikling",
      "Blågrønne løsninger og sensorer skal redusere flomskader ved kraftig nedbør.",
      "partner_matching", (150, 6),
      fields={"need": "Kraftigere regnskyll gir oversvømte kjellere og gater i Trondheim.",
              "call": "Innovasjonsprosjekt i offentlig sektor 2027",
              "research_question": "Hvordan kan sanntidsdata styre blågrønne tiltak slik at "
              "avrenningstoppene i bydelene halveres?", "budget": 11_500_000},
      partners=(("sintef-community", "FoU-partner"), ("fjordbygg", "Utførende entreprenør"))),
    P("ipo", "Læringsanalyse for tidlig innsats i ungdomsskolen", "ingrid",
      "oppvekst_utdanning",
      "Bruk av læringsdata skal hjelpe lærere å oppdage elever som faller av tidlig.",
      "partner_matching", (300, 95),
      fields={"need": "For mange elever går ut av ungdomsskolen uten grunnleggende "
              "ferdigheter; lærerne oppdager det ofte for sent."}),
    P("ipo", "Tidlig oppdagelse og oppfølging av skolefravær", "ingrid", "oppvekst_utdanning",
      "Skoler, helsesykepleiere og PPT samarbeider om et felles varslingsløp ved fravær. "
      "Første søknad fikk avslag; prosjektet har søkt på nytt.",
      "funding_application", (520, 470, 440, 330, 75, 60),
      route=("idea_review", "ready_to_apply", "application_rejected", "ready_to_apply"),
      fields={"need": "Bekymringsfullt skolefravær fanges opp sent, og tiltakene er "
              "tilfeldige fra skole til skole.", "budget": 9_800_000, "own_share": 5_400_000,
              "council_feedback": _FRAVAER_FEEDBACK},
      partners=(("ntnu-ilu", "FoU-partner"), ("tk-helse-velferd", "Helsesykepleietjenesten")),
      applications=(
          A("ipo2025", "rejected", _FRAVAER_FEEDBACK),
          A("ipo2026", "submitted"))),
    P("ipo", "Digital hjemmeoppfølging av kronisk syke", "kari", "helse_velferd",
      "Pasienter med KOLS og hjertesvikt måler selv og følges opp av en responssentertjeneste.",
      "execution", (495, 450, 420, 300, 12),
      fields={"need": "Mange innleggelser av kronisk syke kunne vært unngått med tett "
              "oppfølging hjemme.", "call": "Innovasjonsprosjekt i offentlig sektor 2025",
              "research_question": "Hvilke pasienter har nytte av digital hjemmeoppfølging, "
              "og hvordan organiseres tjenesten best?", "budget": 12_400_000,
              "own_share": 7_440_000, "granted_amount": 4_960_000,
              "administrative_contact": "Kari Nordmann, Helse og velferd",
              "research_partner_contact": "Per Hansen, NTNU ISM",
              "project_start": -270, "project_end": 825, "next_progress_report": 10},
      partners=(("ntnu-ism", "FoU-partner"), ("sintef-digital", "FoU-partner"),
                ("nidaros-helsetek", "Teknologileverandør"),
                ("brukerpanel-eldre", "Brukermedvirkning")),
      applications=(A("ipo2025", "granted"),),
      reports=(R("progress", "approved", -120), R("progress", "delivered", -5),
               R("progress", "due", 170), R("final", "due")),
      conditions=(
          C("application_granted", "Databehandleravtale med Nidaros Helseteknologi skal være "
            "signert før første pasient tas inn.", "kari", -240,
            "Databehandleravtalen er signert og ligger i prosjektets arkiv."),
          C("application_granted", "Legg fram en plan for hvordan responssenteret driftes "
            "etter prosjektperioden.", "hanne", 45)),
      published=True),
    P("ipo", "Sensorbasert fallforebygging i omsorgsboliger", "kari", "helse_velferd",
      "Sensorer varsler risiko for fall før det skjer, og ansatte følger opp forebyggende.",
      "effect_followup", (548, 500, 440, 320, 60, 20),
      fields={"project_start": -300, "project_end": -70, "budget": 6_200_000,
              "granted_amount": 2_400_000},
      partners=(("sintef-digital", "FoU-partner"), ("nidaros-helsetek", "Leverandør")),
      reports=(R("final", "delivered"),)),
    P("ipo", "Trygg overgang fra sykehus til hjem for eldre", "per", "helse_velferd",
      "Felles sjekkliste og videokonsultasjon ved utskrivning fra St. Olavs hospital.",
      "completed", (495, 475, 440, 330, 200, 120),
      fields={"project_start": -320, "project_end": -205, "budget": 6_900_000}, published=True,
      partners=(("ntnu-ism", "Prosjektansvarlig forskningsmiljø"),
                ("tk-helse-velferd", "Tjenesteeier"), ("rode-kors", "Besøkstjeneste"))),
    P("ipo", "Digital byggesaksveileder med kunstig intelligens", "lars", "byutvikling",
      "En veileder som hjelper søkere å levere komplette byggesøknader.",
      "partner_matching", (400, 300, 150), "kill",
      partners=(("ntnu-idi", "FoU-partner"), ("bakklandet-digital", "Leverandør")),
      comment="Behovet er reelt, men dette er utvikling av en kjent løsning uten et "
      "forskningsbehov. Utvalget anbefaler en innovativ anskaffelse i stedet."),
)

PROCUREMENT = (
    P("innovative_procurement", "Fossilfrie anleggsplasser i kommunale byggeprosjekter",
      "lars", "byutvikling", "Krav til utslippsfrie maskiner og byggvarme i kommunens prosjekter.",
      "anchoring", (20, 3), partners=(("sintef-community", "Faglig rådgiver"),)),
    P("innovative_procurement", "Velferdsteknologisk nattilsyn i hjemmetjenesten", "kari",
      "helse_velferd", "Digitalt tilsyn om natten for brukere som ønsker færre fysiske besøk.",
      "needs_mapping", (210, 170, 40), "hold",
      comment="Settes på vent til budsjettet for 2027 er vedtatt i bystyret i desember."),
    P("innovative_procurement", "Smart avfallshåndtering med fyllingssensorer i Midtbyen",
      "trond", "smartby", "Tømming etter behov i stedet for faste ruter.",
      "market_dialogue", (260, 8), fields={"dialogue_conference_on": 25},
      detours=(Detour("needs_approved", "recycle", "Funksjonsbeskrivelsen peker på én "
                      "bestemt sensor. Beskriv hva som skal oppnås, ikke hvordan."),),
      partners=(("frivilligsentral", "Ryddeaksjoner"),)),
    P("innovative_procurement", "Energieffektiv og behovsstyrt gatebelysning", "siri",
      "smartby", "Belysning som dimmes etter trafikk og vær, med felles styringssystem.",
      "competition", (480, 2), "review",
      fields={"estimated_value": 21_000_000, "contract_value": 18_500_000,
              "supplier": "Nordlys Belysning AS"},
      partners=(("ntnu-idi", "Evaluering"),)),
    P("innovative_procurement", "Digitale medisindispensere for hjemmeboende", "hanne",
      "helse_velferd", "Dispensere som varsler når medisin ikke er tatt, og frigjør besøk.",
      "contract_followup", (500, 15),
      detours=(Detour("ready_for_competition", "hold", "Avventer personvernkonsekvens"
                      "vurderingen (DPIA) før konkurransen kunngjøres."),),
      partners=(("nidaros-helsetek", "Leverandør"),)),
    P("innovative_procurement", "Digitale nøkler i hjemmetjenesten", "hanne",
      "helse_velferd", "Elektroniske dørlåser erstatter nøkkelbokser hos brukerne.",
      "implementation", (560, 230),
      fields={"benefit_owner": "Enhetsleder hjemmetjenesten Midtbyen"}),
    P("innovative_procurement", "Utslippsfri hurtigbåt for Trondheimsfjorden", "lars",
      "byutvikling", "Markedsdialogen viste at løsningen ikke finnes ennå; anskaffelsen "
      "fortsetter som et innovasjonspartnerskap.",
      "handed_over", (420, 60), fields={"procedure": "innovation_partnership"},
      route=("anchoring_approved", "needs_approved", "handover_to_partnership"),
      partners=(("sintef-community", "Faglig rådgiver"),)),
    P("innovative_procurement", "Sensorstyrt vintervedlikehold av gang- og sykkelveier",
      "trond", "byutvikling", "Veisensorer og værdata styrer strøing og brøyting.",
      "completed", (540, 90), fields={"supplier": "Bakklandet Digital AS"}, published=True,
      partners=(("sintef-community", "Evaluering"), ("innbyggerpanel", "Syklistpanel"))),
)

PARTNERSHIP = (
    P("innovation_partnership", "Autonome roboter for snørydding av fortau", "trond",
      "smartby", "Små selvkjørende roboter skal holde fortauene i sentrum fri for snø.",
      "needs", (50, 5), partners=(("ntnu-idi", "Faglig rådgiver"),)),
    P("innovation_partnership", "Sanntids lekkasjedeteksjon i vannledningsnettet", "siri",
      "smartby", "Akustiske sensorer skal finne lekkasjer før de blir brudd.",
      "announcement", (260, 70), fields={"maximum_cost": 24_000_000}),
    P("innovation_partnership", "Droneinspeksjon av kommunale bruer og kaier", "lars",
      "byutvikling", "Droner og bildeanalyse skal erstatte deler av manuelle inspeksjoner.",
      "prequalification", (330, 100), "kill",
      comment="Ingen av søkerne dokumenterte FoU-evne til å nå ytelsesnivåene. Behovet "
      "tas inn i en ordinær anskaffelse."),
    P("innovation_partnership", "Robotisert legemiddelhåndtering på sykehjem", "hanne",
      "helse_velferd", "Automatisert multidose og sporing fra apotek til beboer.",
      "negotiation", (420, 4), "review", partners=(("sintef-digital", "Evaluering"),)),
    P("innovation_partnership", "Fremtidens trygghetsalarm for hjemmeboende", "kari",
      "helse_velferd", "En alarm som oppdager fall og uvanlig aktivitet uten at brukeren "
      "trykker på en knapp.", "test_approval", (560, 6), "recycle",
      route=("procedure_chosen", "announced", "prequalified", "partnership_established",
             "phase_go", "development_complete"),
      partners=(("nidaros-helsetek", "Partnerleverandør"), ("brukerpanel-eldre", "Testbrukere")),
      comment="Brukertesten på Søbstad viser for mange falske alarmer om natten. Tilbake "
      "til utvikling for utbedring før kjøp."),
    P("innovation_partnership", "Digital tvilling for overvann og flomvarsling", "lars",
      "byutvikling", "En digital tvilling av ledningsnettet varsler flom og styrer tiltak.",
      "test_approval", (540, 10),
      route=("procedure_chosen", "announced", "prequalified", "partnership_established",
             "phase_go", "phase_go", "development_complete"),
      partners=(("sintef-community", "FoU-partner"),)),
    P("innovation_partnership", "Adaptive læringsressurser for elever med lesevansker",
      "ingrid", "oppvekst_utdanning", "Digitale læremidler som tilpasser seg hver elev.",
      "purchase", (550, 7), partners=(("ntnu-ilu", "Evaluering"),)),
    P("innovation_partnership", "Fjernstyrt energistyring i kommunale bygg", "siri",
      "smartby", "Styring av varme og ventilasjon etter faktisk bruk av skoler og idrettshaller.",
      "effect_followup", (560, 30), partners=(("sintef-community", "Evaluering"),)),
    P("innovation_partnership", "Digitalt nattilsyn på sykehjem", "hanne", "helse_velferd",
      "Sensorer og kamera med samtykke gir roligere netter for beboere og ansatte.",
      "completed", (565, 40), partners=(("ntnu-ism", "Følgeforskning"),), published=True),
)

MDI = (
    P("mdi", "Felles digital nøkkeloversikt i hjemmetjenesten", "mona", "helse_velferd",
      "Idé fra hjemmetjenesten: én oversikt over hvor nøklene er, i stedet for lapper.",
      "idea", (6, 1), "review",
      fields={"problem": "Vi bruker mye tid på å lete etter nøkler og ringe kolleger. En "
              "enkel digital oversikt i appen vi allerede har, ville spart tid hver vakt.",
              "unit": "Hjemmetjenesten Midtbyen"}),
    P("mdi", "Egen parkeringsapp for hjemmetjenestens biler", "mona", "helse_velferd",
      "Idé om å slippe parkeringsbøter ved korte besøk hos brukere.",
      "idea", (120, 105), "kill", fields={"unit": "Hjemmetjenesten Lerkendal"},
      comment="Takk for idéen! Nytt parkeringssystem med tjenestebevis i appen innføres for "
      "hele kommunen fra 2027, så behovet dekkes der."),
    P("mdi", "Bildebasert ukeplan for barn med språkvansker", "ingrid", "oppvekst_utdanning",
      "Pedagoger lager ukeplaner med bilder som barn og foreldre forstår.",
      "assessment", (40, 4), fields={"unit": "Tonstad barnehage"}),
    P("mdi", "Vaktbytte via app på sykehjem", "hanne", "helse_velferd",
      "Ansatte bytter vakter selv i appen innenfor reglene i arbeidsmiljøloven.",
      "pilot", (150, 3), fields={"unit": "Havstein sykehjem", "pilot_end": 6}),
    P("mdi", "Ombruk av kontormøbler mellom kommunale enheter", "trond", "innovasjon",
      "En intern markedsplass for møbler sparer penger og klimagassutslipp.",
      "implementation", (400, 130), fields={"unit": "Trondheim bydrift"}),
    P("mdi", "Ti minutters tavlemøte hver morgen", "mona", "helse_velferd",
      "Korte tavlemøter gir bedre oversikt og færre avvik i hjemmetjenesten.",
      "spreading", (420, 9), fields={"unit": _HJEM, "units_adopted": 4}),
    P("mdi", "El-sykkel i stedet for bil i hjemmetjenesten i sentrum", "mona", "helse_velferd",
      "Raskere fram i Midtbyen, mindre parkering og bedre helse for de ansatte.",
      "completed", (510, 150), fields={"unit": _HJEM, "units_adopted": 6}, published=True,
      partners=(("tk-bydrift", "Sykkelparkering"),)),
)

LIVING_LAB = (
    P("living_lab", "Nyhavna: midlertidige møteplasser under byutviklingen", "lars",
      "byutvikling", "Innbyggere og næringsliv prøver ut møteplasser før området bygges ut.",
      "co_creation", (30, 2), fields={"area": "nyhavna"},
      partners=(("ntnu-iap", "FoU-partner"),)),
    P("living_lab", "Trygg skolevei langs Elgeseter gate", "emma", "byutvikling",
      "Masteroppgave: elever kartlegger utrygge krysninger og prøver ut midlertidige tiltak.",
      "exploration", (120, 5), fields={"area": "elgeseter"},
      partners=(("ntnu-iap", "Veiledning"), ("innbyggerpanel", "Elever og foresatte"))),
    P("living_lab", "Innovasjonsdistrikt Elgeseter: sensorer for luftkvalitet og støy", "siri",
      "smartby", "Åpne sensordata om luft og støy brukes av innbyggere, skoler og forskere.",
      "experimentation", (330, 6), fields={"area": "elgeseter", "experiment_end": 12},
      published=True,
      partners=(("sintef-digital", "FoU-partner"), ("innbyggerpanel", "Innbyggersensorer"))),
    P("living_lab", "Saupstad-Kolstad: nabolagsapp for deling og frivillighet", "per",
      "helse_velferd", "Områdeløftet prøver en app for utlån, dugnad og frivillig innsats.",
      "evaluation", (400, 11), fields={"area": "omradeloft"},
      partners=(("ntnu-ism", "Følgeforskning"), ("frivilligsentral", "Frivillige"),
                ("innbyggerpanel", "Beboere"))),
    P("living_lab", "Midtbyen: bilfrie sommergater i Krambugata", "lars", "byutvikling",
      "Sommergater med benker, lek og servering, evaluert sammen med gårdeiere og handel.",
      "completed", (520, 110), fields={"area": "midtbyen", "next_step": "scale_up"},
      published=True,
      partners=(("ntnu-iap", "FoU-partner"), ("innbyggerpanel", "Spørreundersøkelse"))),
    P("living_lab", "Saupstad-Kolstad: aktivitetspark for ungdom", "per", "oppvekst_utdanning",
      "Ungdom er med på å utforme og teste en aktivitetspark.",
      "evaluation", (450, 20), "recycle", fields={"area": "omradeloft"},
      partners=(("ntnu-iap", "FoU-partner"), ("rode-kors", "Ungdomsarbeid"),
                ("innbyggerpanel", "Ungdomspanel")),
      comment="Datagrunnlaget fra vinterhalvåret er for tynt. Kjør en ny runde i "
      "sommerhalvåret før vi konkluderer."),
)
# fmt: on

PROJECTS: tuple[P, ...] = IPO + PROCUREMENT + PARTNERSHIP + MDI + LIVING_LAB
