"""Demo content for nadsite: Source records and two article bodies, as plain data.

This module holds only deterministic Python data (no imports, no randomness). A
loader elsewhere in the project turns it into Wagtail pages and Source snippets.

The content was written for the demo, in our own words, from the facts and
figures in the two seed documents in ``shared/seeds/``:

* ``000_e85b0fd0f587daf9.txt``, a careful article on NAD+ IV therapy and ageing,
  which becomes ``EVIDENCE_ARTICLE``. Every claim in it cites a real paper.
* ``002_16e52568080f6dbc.txt``, a promotional piece on NAD+ and cellular
  senescence, which becomes ``PROMO_ARTICLE``. It keeps the seed's uncited
  claims on purpose so the evidence gate has something to catch.

The bibliographic details in ``SOURCES`` were checked against publisher,
PubMed/PMC and indexing pages. Where a detail could not be confirmed it is left
blank ("" or None) and a comment says so. Where the seed cited a paper wrongly,
a comment next to the source says what the seed claimed and what is true.
"""

# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------
# Grades follow GRADE certainty for the use this site makes of each source:
# A high, B moderate, C low, D very low. Animal and cell studies, and narrative
# reviews, are D when used to inform claims about people (indirectness).

SOURCES = [
    # Seed: "RCT; n=24 adults aged 55-79; 1,000 mg/day oral NR for 6 weeks;
    # blood NAD+ up ~60%; aortic stiffness improved in a subgroup". Broadly
    # right. The trial randomised 30 people to a 2 x 6-week crossover; 24
    # finished both arms. The ~60% rise was in PBMC NAD+. The lower systolic
    # pressure and aortic stiffness were seen only in an exploratory subgroup
    # with elevated blood pressure / stage 1 hypertension (n=13), not overall.
    {
        "key": "martens2018",
        "title": (
            "Chronic nicotinamide riboside supplementation is well-tolerated and "
            "elevates NAD+ in healthy middle-aged and older adults"
        ),
        "authors": (
            "Martens CR, Denman BA, Mazzo MR, Armstrong ML, Reisdorph N, "
            "McQueen MB, et al."
        ),
        "journal": "Nature Communications",
        "year": 2018,
        "volume": "9",
        # Issue number not confirmed (PMC lists 9:1286 only), left blank.
        "issue": "",
        "pages": "1286",
        "doi": "10.1038/s41467-018-03421-7",
        "pmid": "29599478",
        "url": "https://www.nature.com/articles/s41467-018-03421-7",
        "publication_type": "Randomized Controlled Trial",
        "study_design": "rct",
        "population": "human",
        # 30 randomised; 24 completed both crossover periods and were analysed
        # (the model asks for participants analysed).
        "sample_size": 24,
        "intervention": (
            "Nicotinamide riboside 500 mg twice daily (1,000 mg/day) vs placebo "
            "for 6 weeks each, randomised double-blind crossover, in healthy "
            "adults aged 55-79"
        ),
        "route": "oral",
        "grade": "B",
        "grade_rationale": (
            "Randomised, double-blind, placebo-controlled crossover trial, "
            "downgraded for imprecision: small, only six weeks, and the blood "
            "pressure and arterial stiffness signals came from an exploratory "
            "subgroup."
        ),
    },
    # Seed: "RCT; n=25 prediabetic postmenopausal women; 250 mg/day oral NMN;
    # Grade A for design". Population, dose and result are right (13 NMN, 12
    # placebo, 10 weeks). Grade A overstates a 25-person trial with a
    # mechanistic primary outcome; muscle NAD+ content did not measurably
    # change and blood glucose, lipids and blood pressure did not improve.
    {
        "key": "yoshino2021",
        "title": (
            "Nicotinamide mononucleotide increases muscle insulin sensitivity in "
            "prediabetic women"
        ),
        "authors": (
            "Yoshino M, Yoshino J, Kayser BD, Patti GJ, Franczyk MP, Mills KF, et al."
        ),
        "journal": "Science",
        "year": 2021,
        "volume": "372",
        "issue": "6547",
        "pages": "1224-1229",
        "doi": "10.1126/science.abe9985",
        "pmid": "33888596",
        "url": "https://www.science.org/doi/10.1126/science.abe9985",
        "publication_type": "Randomized Controlled Trial",
        "study_design": "rct",
        "population": "human",
        "sample_size": 25,
        "intervention": (
            "Nicotinamide mononucleotide 250 mg/day (n=13) vs placebo (n=12) for "
            "10 weeks in postmenopausal women with prediabetes and overweight or "
            "obesity"
        ),
        "route": "oral",
        "grade": "B",
        "grade_rationale": (
            "Well-run randomised, double-blind, placebo-controlled trial using the "
            "clamp gold standard, downgraded for imprecision (n=25) and "
            "indirectness: one narrow population and a surrogate outcome."
        ),
    },
    # Seed: "Pencina et al. (2022, Nature Communications): oral NMN in
    # overweight middle-aged adults; improved bioenergetic markers". Wrong
    # journal and year: the MIB-626 paper is in J Gerontol A Biol Sci Med Sci,
    # 2023 (DOI 10.1093/gerona/glac049, PMID 35182418). Its title reports a
    # rise in circulating NAD+ and its metabolome, not bioenergetic benefits.
    # Volume/issue/pages (brief suggested 78(1):90-96), sample size and the
    # exact dosing schedule could not be checked against the paper itself in
    # the sources available to us, so they are left blank here.
    {
        "key": "pencina2023",
        "title": (
            "MIB-626, an oral formulation of a microcrystalline unique polymorph "
            "of beta-nicotinamide mononucleotide, increases circulating "
            "nicotinamide adenine dinucleotide and its metabolome in middle-aged "
            "and older adults"
        ),
        "authors": "Pencina KM, et al.",
        "journal": "The Journals of Gerontology, Series A: Biological Sciences "
        "and Medical Sciences",
        "year": 2023,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "10.1093/gerona/glac049",
        "pmid": "35182418",
        "url": "https://doi.org/10.1093/gerona/glac049",
        "publication_type": "Randomized Controlled Trial",
        "study_design": "rct",
        "population": "human",
        "sample_size": None,
        "intervention": (
            "MIB-626 (a microcrystalline form of nicotinamide mononucleotide) vs "
            "placebo, taken orally for a short period by middle-aged and older "
            "adults"
        ),
        "route": "oral",
        "grade": "C",
        "grade_rationale": (
            "Randomised and placebo-controlled, but small and short, with blood "
            "NAD+ metabolites as the outcome rather than any health or ageing "
            "endpoint."
        ),
    },
    # Seed: only "pharmacokinetic studies confirming plasma NAD+ elevation
    # following infusion". The one published human study found no change in
    # plasma NAD+ or its metabolites for the first 2 hours of the infusion:
    # the infused NAD+ was cleared from plasma rapidly. Secondary summaries
    # report 750 mg over 6 hours (3 umol/min) and 8 infused participants (the
    # brief suggested n=11, perhaps including a saline comparison). The head
    # count, sex of participants and any control arm could not be confirmed
    # from the paper, so sample_size is None and study_design is the most
    # conservative choice. PMID not confirmed, left blank.
    {
        "key": "grant2019",
        "title": (
            "A pilot study investigating changes in the human plasma and urine "
            "NAD+ metabolome during a 6 hour intravenous infusion of NAD+"
        ),
        "authors": (
            "Grant R, Berg J, Mestayer R, Braidy N, Bennett J, Broom S, et al."
        ),
        "journal": "Frontiers in Aging Neuroscience",
        "year": 2019,
        "volume": "11",
        "issue": "",
        "pages": "257",
        "doi": "10.3389/fnagi.2019.00257",
        "pmid": "",
        "url": "https://www.frontiersin.org/articles/10.3389/fnagi.2019.00257",
        "publication_type": "Clinical Trial",
        "study_design": "case_series",
        "population": "human",
        "sample_size": None,
        "intervention": (
            "NAD+ by intravenous infusion at 3 umol/min for 6 hours (about 750 mg) "
            "in healthy adult volunteers; plasma and urine sampled during and after"
        ),
        "route": "intravenous",
        "grade": "D",
        "grade_rationale": (
            "Tiny single-infusion pilot that measured only blood and urine "
            "metabolites; it says nothing about benefit, and very little about "
            "safety."
        ),
    },
    # Seed: "nine hallmarks ... (Cell, 2013, updated 2023)" but lists six and
    # folds chronic inflammation into "altered intercellular communication".
    # The 2013 review proposed nine hallmarks; the 2023 update has twelve and
    # lists chronic inflammation as a hallmark of its own.
    {
        "key": "lopezotin2013",
        "title": "The hallmarks of aging",
        "authors": "López-Otín C, Blasco MA, Partridge L, Serrano M, Kroemer G",
        "journal": "Cell",
        "year": 2013,
        "volume": "153",
        "issue": "6",
        "pages": "1194-1217",
        "doi": "10.1016/j.cell.2013.05.039",
        "pmid": "23746838",
        "url": "https://doi.org/10.1016/j.cell.2013.05.039",
        "publication_type": "Review",
        "study_design": "narrative_review",
        "population": "none",
        "sample_size": None,
        "intervention": "",
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Highly influential narrative review; it offers a conceptual framework "
            "rather than a graded synthesis of evidence in humans."
        ),
    },
    {
        "key": "lopezotin2023",
        "title": "Hallmarks of aging: an expanding universe",
        "authors": "López-Otín C, Blasco MA, Partridge L, Serrano M, Kroemer G",
        "journal": "Cell",
        "year": 2023,
        "volume": "186",
        "issue": "2",
        "pages": "243-278",
        "doi": "10.1016/j.cell.2022.11.001",
        "pmid": "36599349",
        "url": "https://doi.org/10.1016/j.cell.2022.11.001",
        "publication_type": "Review",
        "study_design": "narrative_review",
        "population": "none",
        "sample_size": None,
        "intervention": "",
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Narrative review updating the 2013 framework to twelve hallmarks; "
            "expert synthesis, not a systematic appraisal of human evidence."
        ),
    },
    # Seed: Sinclair lab 2013 Cell study showing "reversal of muscle aging
    # within one week - including improved mitochondrial function and restored
    # exercise tolerance". The paper reports restored mitochondrial/OXPHOS
    # function in old mouse muscle via SIRT1; exercise tolerance is not among
    # its reported findings, so we do not repeat that part. The one-week
    # course, the 22-month age and the intraperitoneal route follow the brief
    # and the paper's methods as we recall them; the abstract only says "old
    # mice". NMN dose not re-verified.
    {
        "key": "gomes2013",
        "title": (
            "Declining NAD+ induces a pseudohypoxic state disrupting "
            "nuclear-mitochondrial communication during aging"
        ),
        "authors": (
            "Gomes AP, Price NL, Ling AJY, Moslehi JJ, Montgomery MK, Rajman L, et al."
        ),
        "journal": "Cell",
        "year": 2013,
        "volume": "155",
        "issue": "7",
        "pages": "1624-1638",
        "doi": "10.1016/j.cell.2013.11.037",
        "pmid": "24360282",
        "url": "https://doi.org/10.1016/j.cell.2013.11.037",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": (
            "Nicotinamide mononucleotide by intraperitoneal injection for one week "
            "in 22-month-old mice"
        ),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Careful mechanistic mouse study; very low certainty for people "
            "because of indirectness and a one-week intervention."
        ),
    },
    # Seed: "A 2019 study in Science demonstrated that NMN treatment restored
    # DNA repair capacity and reversed aspects of vascular aging in aged mice,
    # improving blood flow and exercise capacity." No such 2019 Science paper:
    # the seed merges two studies. DNA repair = Li et al., Science 2017 (this
    # entry); blood flow, capillaries and endurance = Das et al., Cell 2018
    # (next entry).
    {
        "key": "li2017",
        "title": (
            "A conserved NAD+ binding pocket that regulates protein-protein "
            "interactions during aging"
        ),
        "authors": (
            "Li J, Bonkowski MS, Moniot S, Zhang D, Hubbard BP, Ling AJY, et al."
        ),
        "journal": "Science",
        "year": 2017,
        "volume": "355",
        "issue": "6331",
        "pages": "1312-1317",
        "doi": "10.1126/science.aad8242",
        "pmid": "28336669",
        "url": "https://doi.org/10.1126/science.aad8242",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": (
            "Nicotinamide mononucleotide for about one week in old mice, plus "
            "cell experiments"
        ),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Mechanistic cell and mouse work on NAD+, DBC1 and PARP1; very low "
            "certainty for any effect of NAD+ products on human DNA repair."
        ),
    },
    # See the note on li2017: the seed's "2019 Science" vascular-ageing claim
    # is this 2018 Cell paper. PMID not confirmed, left blank. NMN dose not
    # re-verified; treatment lasted about two months in old mice.
    {
        "key": "das2018",
        "title": (
            "Impairment of an endothelial NAD+-H2S signaling network is a "
            "reversible cause of vascular aging"
        ),
        "authors": (
            "Das A, Huang GX, Bonkowski MS, Longchamp A, Li C, Schultz MB, et al."
        ),
        "journal": "Cell",
        "year": 2018,
        "volume": "173",
        "issue": "1",
        "pages": "74-89.e20",
        "doi": "10.1016/j.cell.2018.02.008",
        "pmid": "",
        "url": "https://doi.org/10.1016/j.cell.2018.02.008",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": (
            "Nicotinamide mononucleotide in drinking water for about two months "
            "in old mice"
        ),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Mouse study of capillary density, blood flow and treadmill endurance; "
            "very low certainty for people (indirectness)."
        ),
    },
    # Seed: "NAD+ precursors have extended lifespan in C. elegans, Drosophila
    # and yeast ... reproducibly demonstrated across multiple laboratories".
    # We verified the worm study below and the mouse NR study after it; we did
    # not verify fly or yeast papers, so the article does not mention them.
    {
        "key": "mouchiroud2013",
        "title": (
            "The NAD+/sirtuin pathway modulates longevity through activation of "
            "mitochondrial UPR and FOXO signaling"
        ),
        "authors": (
            "Mouchiroud L, Houtkooper RH, Moullan N, Katsyuba E, Ryu D, Cantó C, et al."
        ),
        "journal": "Cell",
        "year": 2013,
        "volume": "154",
        "issue": "2",
        "pages": "430-441",
        "doi": "10.1016/j.cell.2013.06.016",
        "pmid": "23870130",
        "url": "https://doi.org/10.1016/j.cell.2013.06.016",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": (
            "Genetic or pharmacological restoration of NAD+ (NAD+ precursors in "
            "the culture medium) in C. elegans; NAD+ levels also measured in aged "
            "mice"
        ),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Worm lifespan study; lifespan effects in nematodes are very indirect "
            "evidence for human ageing."
        ),
    },
    {
        "key": "zhang2016",
        "title": (
            "NAD+ repletion improves mitochondrial and stem cell function and "
            "enhances life span in mice"
        ),
        "authors": "Zhang H, Ryu D, Wu Y, Gariani K, Wang X, Luan P, et al.",
        "journal": "Science",
        "year": 2016,
        # Issue number not confirmed, left blank.
        "volume": "352",
        "issue": "",
        "pages": "1436-1443",
        "doi": "10.1126/science.aaf2693",
        "pmid": "27127236",
        "url": "https://doi.org/10.1126/science.aaf2693",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": ("Nicotinamide riboside in the diet of aged mice"),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Mouse study with stem-cell and lifespan outcomes; very low certainty "
            "for people, and a modest lifespan gain in one laboratory."
        ),
    },
    # Seed: "NAD+ supplementation protects against amyloid-beta toxicity in
    # Alzheimer's mouse models ... supports myelin repair". In this study NR
    # reduced phosphorylated tau, DNA damage and neuroinflammation and improved
    # memory tests in AD mice, but had no effect on amyloid-beta accumulation.
    # We found no source for the myelin claim and dropped it. PMID not
    # confirmed, left blank.
    {
        "key": "hou2018",
        "title": (
            "NAD+ supplementation normalizes key Alzheimer's features and DNA "
            "damage responses in a new AD mouse model with introduced DNA repair "
            "deficiency"
        ),
        "authors": (
            "Hou Y, Lautrup S, Cordonnier S, Wang Y, Croteau DL, Zavala E, et al."
        ),
        "journal": "Proceedings of the National Academy of Sciences of the USA",
        "year": 2018,
        "volume": "115",
        "issue": "8",
        "pages": "E1876-E1885",
        "doi": "10.1073/pnas.1718819115",
        "pmid": "",
        "url": "https://doi.org/10.1073/pnas.1718819115",
        "publication_type": "Journal Article",
        "study_design": "animal",
        "population": "animal",
        "sample_size": None,
        "intervention": (
            "Nicotinamide riboside in drinking water in 3xTgAD and "
            "3xTgAD/Pol beta+/- mice"
        ),
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Transgenic mouse model of Alzheimer's disease; very low certainty for "
            "brain health in people."
        ),
    },
    {
        "key": "rajman2018",
        "title": (
            "Therapeutic potential of NAD-boosting molecules: the in vivo evidence"
        ),
        "authors": "Rajman L, Chwalek K, Sinclair DA",
        "journal": "Cell Metabolism",
        "year": 2018,
        "volume": "27",
        "issue": "3",
        "pages": "529-547",
        "doi": "10.1016/j.cmet.2018.02.011",
        "pmid": "29514064",
        "url": "https://doi.org/10.1016/j.cmet.2018.02.011",
        "publication_type": "Review",
        "study_design": "narrative_review",
        "population": "none",
        "sample_size": None,
        "intervention": "",
        "route": "not_applicable",
        "grade": "D",
        "grade_rationale": (
            "Narrative review written by researchers active in the field; useful "
            "map of the animal and early human work, not a graded synthesis."
        ),
    },
    # Seed: "PARP inhibitors (olaparib, niraparib, rucaparib) work precisely by
    # depleting NAD+ in cancer cells". Wrong: PARP inhibitors block PARP
    # enzymes (which use NAD+) and kill tumour cells that already lack
    # homologous-recombination repair, such as BRCA1/2-mutant cancers
    # (synthetic lethality). They are not NAD+-depleting drugs. The seed's
    # "absolute contraindication" to IV NAD+ has no source we could find.
    {
        "key": "lord2017",
        "title": "PARP inhibitors: synthetic lethality in the clinic",
        "authors": "Lord CJ, Ashworth A",
        "journal": "Science",
        "year": 2017,
        "volume": "355",
        "issue": "6330",
        "pages": "1152-1158",
        "doi": "10.1126/science.aam7344",
        "pmid": "28302823",
        "url": "https://doi.org/10.1126/science.aam7344",
        "publication_type": "Review",
        "study_design": "narrative_review",
        "population": "none",
        "sample_size": None,
        "intervention": "",
        "route": "not_applicable",
        "grade": "B",
        "grade_rationale": (
            "Narrative review, but the point we cite (how PARP inhibitors work "
            "and why they suit BRCA-mutant cancers) rests on well-replicated "
            "mechanistic work and randomised trials that led to approval."
        ),
    },
    {
        "key": "bull2020",
        "title": (
            "World Health Organization 2020 guidelines on physical activity and "
            "sedentary behaviour"
        ),
        "authors": (
            "Bull FC, Al-Ansari SS, Biddle S, Borodulin K, Buman MP, Cardon G, et al."
        ),
        "journal": "British Journal of Sports Medicine",
        "year": 2020,
        "volume": "54",
        "issue": "24",
        "pages": "1451-1462",
        "doi": "10.1136/bjsports-2020-102955",
        "pmid": "33239350",
        "url": "https://doi.org/10.1136/bjsports-2020-102955",
        "publication_type": "Practice Guideline",
        "study_design": "guideline",
        "population": "human",
        "sample_size": None,
        "intervention": (
            "Adults: 150-300 min/week moderate or 75-150 min/week vigorous aerobic "
            "activity, plus muscle strengthening on 2 or more days a week"
        ),
        "route": "not_applicable",
        "grade": "B",
        "grade_rationale": (
            "WHO guideline built on systematic reviews of large, consistent "
            "bodies of mostly observational evidence with clear dose-response "
            "for mortality and chronic disease."
        ),
    },
]


# ---------------------------------------------------------------------------
# Evidence article (from seed 000)
# ---------------------------------------------------------------------------

EVIDENCE_ARTICLE = {
    "title": "NAD+ IV therapy and ageing: what the evidence shows",
    "slug": "nad-iv-therapy-and-ageing",
    "standfirst": (
        "The biology linking NAD+ to ageing is solid and the mouse results are "
        "striking. The human trials, though, tested NR and NMN pills, not NAD+ "
        "drips, and none has tested IV NAD+ against ageing."
    ),
    "subject_intervention": "NAD+",
    "subject_route": "intravenous",
    "body": [
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Longevity clinics sell NAD+ infusions as a way to turn "
                    "back the cellular clock. NAD+ does sit at the centre of "
                    "several processes that change with age, and raising it has "
                    "helped old animals in the lab. What people have actually "
                    "been given in trials is different: small, short studies of "
                    "oral precursors such as nicotinamide riboside (NR) and "
                    "nicotinamide mononucleotide (NMN).</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "rajman2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "martens2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                    {
                        "source": "yoshino2021",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "callout",
            "value": {
                "text": (
                    "<p><b>Please note:</b> this page explains research; it is "
                    "not medical advice. Talk to a licensed clinician before "
                    "starting any infusion or supplement.</p>"
                ),
                "kind": "disclaimer",
                "role": "context",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "Why NAD+ is tied up with ageing",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Researchers group the biology of ageing into a set of "
                    "<i>hallmarks</i>. The original 2013 scheme named nine; the "
                    "2023 revision expanded the list to twelve, adding disabled "
                    "macroautophagy, chronic inflammation and dysbiosis.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "lopezotin2013",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "lopezotin2023",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "list",
            "value": {
                "text": [
                    "Genomic instability: DNA damage builds up over a lifetime",
                    "Loss of proteostasis: protein quality control falters",
                    "Deregulated nutrient sensing",
                    "Mitochondrial dysfunction",
                    "Cellular senescence",
                    "Altered intercellular communication",
                    "Chronic inflammation, a hallmark in its own right since 2023",
                ],
                "ordered": False,
                "role": "claim",
                "citations": [
                    {
                        "source": "lopezotin2023",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "lopezotin2013",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>DNA repair.</b> The repair enzyme PARP1 burns NAD+ as "
                    "fuel. In mice, falling NAD+ with age lets a protein called "
                    "DBC1 latch on to PARP1 and hold it back, so DNA damage "
                    "accumulates; restoring NAD+ quickly reversed this in old "
                    "mice.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "li2017",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "rajman2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>Mitochondria.</b> NAD+ and its reduced form NADH "
                    "shuttle electrons in energy metabolism. In ageing mouse "
                    "muscle, lower nuclear NAD+ disrupted communication between "
                    "the nucleus and the mitochondria, and mitochondrial function "
                    "fell with it.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "gomes2013",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "rajman2018",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>Sirtuins and nutrient sensing.</b> The seven sirtuins "
                    "(SIRT1 to SIRT7) need NAD+ to work, and they help cells "
                    "adjust to fasting, calorie restriction and exercise. When "
                    "NAD+ runs low, sirtuin activity drops; in worms, the "
                    "lifespan benefit of raising NAD+ depended on a sirtuin.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "rajman2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "mouchiroud2013",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>Inflammation.</b> Low-grade inflammation that rises "
                    "with age is now counted as a hallmark of its own. In a mouse "
                    "model of Alzheimer's disease, an NAD+ precursor reduced "
                    "inflammation in the brain, but whether NAD+ products calm "
                    "inflammation in people is unproven.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "lopezotin2023",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "hou2018",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "The animal evidence",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>In a 2013 study from David Sinclair's laboratory, a week "
                    "of NMN given to old (22-month-old) mice brought markers of "
                    "muscle mitochondrial function back towards those of young "
                    "mice. It showed that part of this decline can be reversed in "
                    "mice; it did not show that ageing itself reverses.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "gomes2013",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Two later mouse studies are often merged into one. A 2017 "
                    "<i>Science</i> paper tied NAD+ to DNA repair through the "
                    "DBC1 and PARP1 interaction. A 2018 <i>Cell</i> paper found "
                    "that about two months of NMN in old mice increased small "
                    "blood vessels in muscle, improved blood flow and lengthened "
                    "treadmill running.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "li2017",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "das2018",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Raising NAD+ lengthened life in roundworms, and "
                    "nicotinamide riboside modestly extended lifespan in mice "
                    "while improving stem cell function. No study has shown "
                    "anything like this in people.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "mouchiroud2013",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "zhang2016",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>In mice bred to develop Alzheimer-like disease, "
                    "nicotinamide riboside reduced tau pathology, DNA damage and "
                    "brain inflammation and improved memory tests. It did not "
                    "reduce amyloid-beta build-up, so claims that NAD+ blocks "
                    "amyloid go beyond the data.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "hou2018",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "The human evidence",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Human studies are small and short, and the main trials "
                    "used oral NR or NMN, not intravenous NAD+. They show that "
                    "the pills raise NAD+ in blood and can shift some measures of "
                    "metabolism, but they do not test ageing outcomes.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "martens2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "yoshino2021",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "pencina2023",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "Key human studies",
                "level": "h3",
            },
        },
        {
            "type": "study",
            "value": {
                "source": "martens2018",
                "text": (
                    "Oral NR, 1,000 mg a day for six weeks, raised NAD+ in blood "
                    "cells by about 60% in adults aged 55 to 79 and was well "
                    "tolerated. Lower blood pressure and arterial stiffness were "
                    "seen only in a small subgroup with raised blood pressure."
                ),
                "role": "claim",
            },
        },
        {
            "type": "study",
            "value": {
                "source": "yoshino2021",
                "text": (
                    "In 25 postmenopausal women with prediabetes, oral NMN "
                    "250 mg a day for ten weeks improved insulin-stimulated "
                    "glucose uptake in muscle, without changing blood glucose, "
                    "lipids or blood pressure."
                ),
                "role": "claim",
            },
        },
        {
            "type": "study",
            "value": {
                "source": "pencina2023",
                "text": (
                    "MIB-626, an oral NMN formulation, raised circulating NAD+ "
                    "and related metabolites in middle-aged and older adults "
                    "compared with placebo. It measured blood chemistry, not "
                    "health outcomes."
                ),
                "role": "claim",
            },
        },
        {
            "type": "study",
            "value": {
                "source": "grant2019",
                "text": (
                    "During a six-hour NAD+ drip in healthy volunteers, plasma "
                    "NAD+ did not rise at all for the first two hours: the "
                    "infused NAD+ was cleared from the blood as fast as it "
                    "went in. The study measured metabolites only."
                ),
                "role": "claim",
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "What the IV evidence is missing",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>No adequately powered, placebo-controlled trial has "
                    "tested IV NAD+ against any ageing outcome in healthy adults: "
                    "not biological age markers, physical function, cognition or "
                    "lifespan. The human IV data amount to a small "
                    "pharmacokinetic pilot.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "rajman2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                    {
                        "source": "grant2019",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "list",
            "value": {
                "text": [
                    "One small pilot study tracking NAD+ and its breakdown "
                    "products in blood and urine during a single infusion",
                    "No placebo-controlled trial of IV NAD+ for ageing outcomes",
                    "Clinic testimonials, which cannot separate a real effect "
                    "from placebo or from who chooses to pay for a drip",
                    "Extrapolation from oral precursor trials and animal work",
                ],
                "ordered": False,
                "role": "claim",
                "citations": [
                    {
                        "source": "grant2019",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "rajman2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "What is plausible, and what is not shown",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>Plausible:</b> raising NAD+ where it has fallen, and "
                    "the mitochondrial and metabolic effects that follow from it, "
                    "is the best-supported idea. Oral precursors reliably lift "
                    "blood NAD+, and one trial improved muscle insulin "
                    "sensitivity. Whether an occasional drip does the same, or "
                    "anything more, has not been tested.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "martens2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "yoshino2021",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "gomes2013",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>Not shown:</b> reversal of established ageing in "
                    "people, longer human lifespan, or better skin and hair. The "
                    "one-week turnaround in old mice is not a realistic "
                    "expectation for a long-lived species, and lifespan gains "
                    "exist only in worms and mice.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "gomes2013",
                        "stance": "mentions",
                        "locator": "",
                    },
                    {
                        "source": "mouchiroud2013",
                        "stance": "mentions",
                        "locator": "",
                    },
                    {
                        "source": "zhang2016",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "A caution for people with cancer",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>NAD+ fuels all cells, tumour cells included, and whether "
                    "raising it could help a cancer grow is an open question. "
                    "PARP inhibitors such as olaparib work by blocking the PARP "
                    "repair enzymes in cancers that already lack another repair "
                    "route, for example BRCA-mutant tumours; how NAD+ boosting "
                    "interacts with them has not been studied. Anyone with "
                    "current or past cancer should ask their oncology team before "
                    "trying NAD+ products.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "lord2017",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "rajman2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "What clinics offer",
                "level": "h2",
            },
        },
        # Clinic protocols and prices (the seed quotes $300-$600 a session) come
        # from clinic marketing, not from any source we could verify, so we do
        # not state figures. This passage only describes what is advertised and
        # makes no health claim, hence role "context".
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Clinics typically advertise a loading course of several "
                    "infusions over a few weeks, then monthly top-ups, often with "
                    "oral NR or NMN in between. These schedules and their prices "
                    "are set by the clinics, not by trial results, so ask for an "
                    "itemised quote and for the evidence behind the plan.</p>"
                ),
                "role": "context",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "How IV NAD+ compares with other options",
                "level": "h2",
            },
        },
        {
            "type": "table",
            "value": {
                "text": {
                    "data": [
                        ["Option", "Human evidence", "Cost", "Time"],
                        [
                            "IV NAD+",
                            "Pharmacokinetic pilot only; no outcome trials",
                            "High",
                            "Hours per session",
                        ],
                        [
                            "Oral NR or NMN",
                            "Small RCTs: NAD+ rises; limited metabolic effects",
                            "Moderate",
                            "Daily capsule",
                        ],
                        [
                            "Aerobic and strength exercise",
                            "Strong; backed by a WHO guideline",
                            "Low",
                            "150-300 min a week plus 2 strength days",
                        ],
                        [
                            "Calorie restriction",
                            "Lifespan gains in animals; limited human data",
                            "Low",
                            "Ongoing",
                        ],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": (
                        "Evidence, cost and time for common anti-ageing options"
                    ),
                },
                "role": "claim",
                "citations": [
                    {
                        "source": "grant2019",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "martens2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "yoshino2021",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "bull2020",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "lopezotin2013",
                        "stance": "mentions",
                        "locator": "",
                    },
                ],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "The bottom line",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>NAD+ falls with age and matters to DNA repair, "
                    "mitochondria and sirtuins, and boosting it helps old "
                    "animals. In people, oral precursors raise blood NAD+ with "
                    "modest effects, and IV NAD+ has no outcome trials at all. "
                    "Regular exercise, which WHO recommends at 150 to 300 minutes "
                    "a week plus strength work, remains the best-supported step; "
                    "treat NAD+ drips as an unproven extra.</p>"
                ),
                "role": "claim",
                "citations": [
                    {
                        "source": "rajman2018",
                        "stance": "mentions",
                        "locator": "",
                    },
                    {
                        "source": "martens2018",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "grant2019",
                        "stance": "supports",
                        "locator": "",
                    },
                    {
                        "source": "bull2020",
                        "stance": "supports",
                        "locator": "",
                    },
                ],
            },
        },
    ],
}


# ---------------------------------------------------------------------------
# Promotional article (from seed 002)
# ---------------------------------------------------------------------------
# Deliberately uncited. Most claim-laden paragraphs are marked "claim", but a
# few are marked "context" even though they make health claims: that is the
# sneaky case the claim detector has to catch. Clinic names and locations from
# the seed are left out.


PROMO_ARTICLE = {
    "title": "NAD+, cellular senescence and healthy ageing",
    "slug": "nad-and-cellular-senescence",
    "standfirst": (
        "Ageing cells stop dividing and start causing trouble. Here is how NAD+ "
        "IV therapy is said to push back."
    ),
    "subject_intervention": "NAD+",
    "subject_route": "intravenous",
    "body": [
        # Claim-laden, but labelled context (sneaky case 1).
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>As we get older, more of our cells enter senescence: they "
                    "stop dividing and stop doing their jobs properly, and this "
                    "drives many of the diseases of later life. New research "
                    "points to NAD+ as a way to fight back, and IV therapy is the "
                    "most direct way to get it.</p>"
                ),
                "role": "context",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "What is cellular senescence?",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Senescence is a permanent halt to the cell cycle. "
                    "Senescent cells change shape, switch genes on and off, and "
                    "release a stream of signalling molecules. They pile up in "
                    "tissues over time and feed cancer, heart disease and "
                    "neurodegeneration.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>DNA damage is a major trigger. Oxidative stress, "
                    "radiation and toxins wear down our DNA, and the cell's "
                    "damage response then freezes the cell cycle and switches on "
                    "the senescence-associated secretory phenotype, or SASP.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>The SASP is a cocktail of inflammatory cytokines, growth "
                    "factors and protein-cutting enzymes. In the short term it "
                    "helps clear damaged cells, but when it stays switched on it "
                    "harms nearby tissue and keeps the body in a state of chronic "
                    "inflammation.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "Where NAD+ comes in",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>NAD+ is a coenzyme found in every cell. It exists as NAD+ "
                    "and its reduced partner NADH, and it is needed for energy "
                    "production, DNA repair and the signalling pathways that "
                    "govern ageing and longevity.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>NAD+ levels fall as we age, and this loss helps drive "
                    "senescence and age-related disease. Sirtuins, the enzymes "
                    "that manage DNA repair, inflammation and metabolism, cannot "
                    "work without NAD+.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        # Claim-laden, but labelled context (sneaky case 2).
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>Sirtuins repair damaged DNA and keep senescence and "
                    "inflammation genes in check. Top up NAD+ and you switch "
                    "sirtuins back on, undoing the effects of senescence.</p>"
                ),
                "role": "context",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "Why IV therapy?",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>An IV drip delivers a high dose of NAD+ straight into the "
                    "bloodstream. Because it bypasses the gut, nothing is lost to "
                    "digestion and absorption is maximal, so cells get the full "
                    "benefit.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>A session involves a small catheter in a vein and a slow "
                    "infusion over several hours. How long and how often depends "
                    "on your goals.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "Five benefits of NAD+ IV therapy",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>1. Better DNA repair.</b> Restoring NAD+ lets cells "
                    "fix the DNA damage caused by ageing and the environment, "
                    "protecting the genome and slowing the build-up of senescent "
                    "cells.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>2. More cellular energy.</b> Higher NAD+ powers up "
                    "metabolism, which means more energy, sharper thinking and "
                    "better physical performance.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>3. Less inflammation.</b> NAD+ IV therapy has been "
                    "shown to calm inflammation by shutting down the SASP and "
                    "helping the body clear senescent cells.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>4. Brain protection.</b> NAD+ shields the brain from "
                    "age-related damage and neurodegenerative disease and boosts "
                    "neurotrophic factors, keeping memory and thinking sharp.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
        # Claim-laden, but labelled context (sneaky case 3).
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p><b>5. A longer, healthier life.</b> NAD+ supplementation "
                    "has extended lifespan and healthspan in a range of model "
                    "organisms, and the early signs for human longevity are "
                    "promising.</p>"
                ),
                "role": "context",
                "citations": [],
            },
        },
        {
            "type": "heading",
            "value": {
                "text": "The takeaway",
                "level": "h2",
            },
        },
        {
            "type": "paragraph",
            "value": {
                "text": (
                    "<p>By restoring NAD+, IV therapy repairs DNA, energises "
                    "cells, lowers inflammation, protects the brain and may "
                    "extend your life. Ask a healthcare professional whether NAD+ "
                    "IV therapy belongs in your wellness plan.</p>"
                ),
                "role": "claim",
                "citations": [],
            },
        },
    ],
}
