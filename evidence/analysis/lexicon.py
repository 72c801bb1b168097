"""The claim detector's lexicon: the words and patterns that mark a claim.

Cues make a sentence a claim (an effect verb, "has been shown", a sample
size, a percentage...), but only together with a health term or a mechanism;
hedges ("may", "in mice") keep it a claim and mark it hedged; some sentences
are never claims (navigation, disclaimers, what the article will cover) and
calls to action or clinic adverts only count when they also state a cause,
a number, a risk or a proven result. `evidence.analysis.claims` applies them.
"""

import re


def _words(text: str) -> list[str]:
    return text.split()


def _inflect(base: str) -> list[str]:
    """The verb's forms: reduce, reduces, reduced, reducing."""
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith("y") and base[-2] not in "aeiou":
        return [base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
    if base.endswith(("s", "sh", "ch", "x")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


_EFFECT_VERBS = _words(
    "reduce decrease lower lessen increase raise elevate boost enhance improve "
    "prevent protect extend reverse restore replenish rejuvenate repair heal "
    "cure treat slow halt delay stop eliminate relieve ease alleviate soothe "
    "strengthen weaken support promote inhibit block suppress stimulate "
    "activate regulate normalize normalise balance detoxify cleanse burn "
    "accelerate sharpen clear fight combat counteract mitigate worsen damage "
    "harm impair shorten lengthen deplete compromise optimize optimise "
    "maximize maximise amplify speed benefit aid fix resolve control "
    "modulate trigger double triple halve cut minimize minimise influence "
    "ensure bypass maintain affect flush lighten brighten tighten firm plump "
    "smooth whiten energize energise revitalize revitalise purify nourish "
    "hydrate calm interfere change"
)
_IRREGULAR_EFFECT = _words(
    "rid rids ridding fought kept keeps keeping brings brought "
    "reduction reductions improvement improvements prevention protection "
    "protective increase increases decrease decreases enhancement restoration "
    "reversal relief boost boosts cure cures remedy remission"
)

_EFFECT_WORDS = sorted(
    {form for verb in _EFFECT_VERBS for form in _inflect(verb)}
    | set(_IRREGULAR_EFFECT),
    key=len,
    reverse=True,
)

_HEALTH_TERMS = r"""
    cells? | cellular | dna | rna | genes? | genetic | genome | proteins? |
    enzymes? | coenzymes? | mitochondri\w* | metabol\w+ | blood | plasma |
    brains? | heart | cardiac | cardiovascular | liver | kidneys? | skin |
    muscles? | bones? | joints? | immun\w+ | inflammat\w+ | hormones? |
    insulin | glucose | sugar | cholesterol | triglycerides? | nad\+? | nadh |
    nmn | sirtuins? | sirt\d | parp\d? | vitamin \w+ | vitamins | minerals? |
    iron | calcium | magnesium | zinc | sodium | potassium | omega-3 |
    fibre | fiber | body | tissues? | organs? | neurons? | nerves? |
    cortisol | serotonin | dopamine | melatonin | sleep | insomnia |
    circadian | gut | microbiome | bacteria | bacterial | virus(?:es)? |
    viral | infections? | diseases? | disorders? | cancers? | tumou?rs? |
    malignan\w+ | diabetes | diabetic | pressure | arter\w+ | vascular |
    lungs? | asthma | allerg\w+ | antibod\w+ | vaccines? | vaccination |
    cytokines? | receptors? | senescen\w+ | ag(?:e)?ing | atp | oxidative |
    antioxidants? | free\ radicals | collagen | acne | eczema | psoriasis |
    depression | anxiety | stress | mood | dementia | alzheimer\w* |
    stroke | obesity | weight | calories | fat | diet | dietary | exercise |
    physical\ activity | fitness | pregnan\w+ | infants? | babies |
    children | fever | symptoms? | pain | migraines? | headaches? |
    supplements? | supplementation | drugs? | medications? | medicines? |
    doses? | statins? | antibiotics? | chemotherapy | therapy | treatment |
    measles | influenza | flu | covid(?:-19)? | hpv | hepatitis | sperm |
    fertility | menopaus\w+ | testosterone | estrogen | oestrogen |
    thyroid | anemia | anaemia | uv | sunscreen | sunburn | melanoma |
    caffeine | alcohol | smoking | nicotine | probiotics? | creatine |
    longevity | lifespan | healthspan | hallmarks? | clinical | mice |
    humans? | stomach | intestines? | bowel | colon | wine | beer |
    hydration | heart\ rate | antibiotic\ resistance | birth\ defects?
"""

_MECHANISM_PREDICATES = r"""
    (?:is|are|was|were)\ (?:\w+ly\ )?(?:required|essential|needed|necessary|involved|
        responsible|critical|crucial|vital|important|key|central|made|
        produced|converted|absorbed|broken\ down|metaboli[sz]ed|secreted|
        stored|found|present|characteri[sz]ed|composed|depleted|
        consumed|measurable|common|rare|contagious|hereditary|inherited|
        a|an|the|one\ of|not)\b |
    plays?\ (?:a|an)\ (?:\w+\ ){0,2}roles? | playing\ a\ \w*\ ?role |
    (?:declines?|declining|falls?|drops?|rises?|accumulates?|accumulating)
        (?:\ \w+){0,3}\ (?:with|as|over|in)\ (?:age|ageing|aging|time) |
    (?:declines?|falls?|drops?|rises?)\ (?:with|as|when) |
    accumulates? | depends?\ on | depend\ on | requires? | relies\ on |
    converts? | binds? | crosses | exists\ in | involves | refers\ to |
    regulates? | drives? | uses | signals? | transports? | carries |
    secretes? | functions\ as | acts\ as | serves\ as | consumes? |
    deacetylates? | produces? | generates? | spreads?\ (?:through|by|via) |
    is\ transmitted | are\ transmitted | affects? | occurs? |
    develops?\ (?:when|in|after) | absorbs? | contains? | pumps? |
    needs? | stays? | remains? | lasts? | wanes? | waning | allows? |
    enters? | grows? | cannot | can't | rises? | falls? | drops? |
    (?:is|are|was|were)\ released | gets?\ (?:better|worse) |
    (?:often|usually|commonly|typically|rarely|frequently|seldom)\ \w+
"""

_CUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "shown",
        r"\b(?:has|have|had)\ been\ (?:shown|proven|demonstrated|found)\b |"
        r"\b(?:was|were|is|are)\ (?:shown|proven|demonstrated)\b |"
        r"\b(?:clinically|scientifically)\ (?:proven|tested|shown)\b |"
        r"\bproven\b | \bdemonstrat(?:es|ed|ing)\b | \bconfirm(?:s|ed|ing)\b |"
        r"\bknown\ to\b | \bfound\ to\b | \bguarantee[sd]?\b |"
        r"\bestablished\b",
    ),
    (
        "research",
        r"\b(?:studies|study|research|trials?|data|evidence|findings?|"
        r"experiments?|analys[ie]s|reviews?)\ (?:\w+\ ){0,2}(?:shows?|showed|"
        r"shown|suggests?|suggested|finds?|found|indicates?|indicated|"
        r"reports?|reported|link(?:s|ed)?|supports?)\b |"
        r"\bevidence\b | \brandomi[sz]ed\b | \bplacebo\b | \bmeta-analys\w+ |"
        r"\bsystematic\ reviews?\b | \bcohort\b | \bobservational\b |"
        r"\bclinical\ (?:trials?|data|evidence|studies|outcomes?)\b |"
        r"\bet\ al\b | \bcolleagues\b | \bresearchers\b | \bscientists\b |"
        r"\baccording\ to\b | \bpublished\b | \bpeer-reviewed\b |"
        r"\bRCTs?\b | \bpreclinical\b | \bpharmacokinetic\b |"
        r"\bstud(?:y|ies)\b | \btrials?\b | \bfindings\b | \bdata\b |"
        r"\bmechanistic\b | \b(?:decades|years|body|wealth)\ of\ "
        r"(?:\w+\ )?(?:research|evidence|studies|data)\b |"
        r"\((?:[A-Z][\w .&-]+,\ )?(?:19|20)\d\d[a-z]?\b",
    ),
    (
        "sample_size",
        r"\bn\ ?=\ ?\d[\d,]* |"
        r"\b(?:in|of|among|involving|with|enrolled|followed|recruited)\ "
        r"(?:about\ |over\ |nearly\ |almost\ |more\ than\ )?"
        r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|twelve|"
        r"twenty|thirty|forty|fifty|hundreds\ of|thousands\ of|dozens\ of)"
        r"\ (?:[\w-]+\ ){0,3}?"
        r"(?:adults|patients|participants|people|women|men|children|"
        r"volunteers|subjects|smokers|infants|babies|teenagers|teens|"
        r"adolescents|mice|rats|individuals|pregnancies|athletes|runners|"
        r"veterans|nurses|twins|students|residents|cases|users)\b",
    ),
    (
        "percentage",
        r"~?(?<![\d.])\d+(?:\.\d+)?\ ?(?:%|percent\b|per\ cent\b)",
    ),
    (
        "statistic",
        r"\b\d+(?:\.\d+)?[- ]fold\b | \b(?:one|1)\ in\ (?:\d+|two|three|four|"
        r"five|six|seven|eight|nine|ten|a\ hundred)\b |"
        r"\b(?:hazard|odds)\ ratio\b | \brelative\ risk\b |"
        r"\bconfidence\ interval\b | \bp\ ?[<=]\ ?0?\.\d+ |"
        r"\b(?:half|a\ third|a\ quarter|two\ thirds|majority|most)\ of\ "
        r"(?:all\ )?(?:people|adults|patients|cases|children|women|men|"
        r"deaths|users)\b |"
        r"\b\d+(?:\.\d+)?\ ?(?:mmhg|mg/dl|mmol/l|bpm|kg|lbs?|pounds)\b |"
        r"\b(?:incidence|prevalence|mortality|survival)\b |"
        r"\bmillions?\ of\ (?:people|adults|americans|children)\b |"
        r"\bmost\ (?:people|adults|patients|children|women|men|cases)\b |"
        r"\bbetween\ \d+(?:\.\d+)?\ (?:and|to)\ \d+ | \bper\ minute\b |"
        r"\brates?\ of\b",
    ),
    (
        "comparison",
        r"\b(?:more|less|fewer)\ (?:[\w-]+\ ){1,4}?than\b |"
        r"\b(?:greater|higher|lower|better|worse|faster|"
        r"slower|stronger|weaker|longer|shorter|safer|likelier)\ "
        r"(?:[\w-]+\ ){0,4}?than\b |"
        r"\b(?:more|less)\ (?:common|likely|frequent|effective|severe)\b |"
        r"\b(?:twice|three\ times|half|as\ (?:effective|good|safe))\ as\b |"
        r"\bcompared\ (?:with|to)\b | \bversus\b | \bvs\.? | "
        r"\brelative\ to\b | \boutperform\w* | \bsuperior\ to\b |"
        r"\binferior\ to\b | \bthe\ (?:most|best|least)\ "
        r"(?:[\w-]+\ ){0,2}?(?:effective|proven|evidence-supported|"
        r"studied|common|important)\b",
    ),
    (
        "causal",
        r"\bcaus(?:e|es|ed|ing)\b | \bcausal\b | \blead(?:s|ing)?\ to\b |"
        r"\bled\ to\b | \bresult(?:s|ed|ing)?\ in\b | \bdue\ to\b |"
        r"\bbecause\ of\b | \blinked\ (?:to|with)\b | \blinks?\ between\b |"
        r"\bassociated\ with\b | \bassociation\ (?:between|with)\b |"
        r"\bcontribut(?:e|es|ed|ing)\ to\b | \bresponsible\ for\b |"
        r"\battributed\ to\b | \bcorrelat\w+ | \btied\ to\b |"
        r"\bstem(?:s|med)?\ from\b | \bowing\ to\b | \bas\ a\ result\ of\b |"
        r"\bdriven\ by\b | \btranslates?\ (?:in)?to\b | \bmeans\ that\b |"
        r"\bdirectly\b | \bthereby\b | \bby\ (?:\w+ing)\b",
    ),
    (
        "risk",
        r"\brisks?\b | \bside[- ]effects?\b | \badverse\b | \bcontraindicat\w+ |"
        r"\bunsafe\b | \bsafe(?:ly|ty)?\b | \btoxic\w* | \bdanger\w* |"
        r"\bharmful\b | \binteract(?:s|ions?)?\b | \boverdos\w+ |"
        r"\ballergic\b | \bcomplications?\b | \bshould\ not\b |"
        r"\bmust\ not\b | \bdo\ not\ (?:take|use|combine|give)\b |"
        r"\bavoid\w* | \bcaution\b | \bbleeding\b | \bfatal\b |"
        r"\bdeaths?\b | \bhospitali[sz]\w+ | \bconcerns?\b | \bclearance\b",
    ),
    (
        "dosage",
        r"\b\d[\d,.]*(?:\ ?(?:[-–]|to)\ ?\d[\d,.]*)?\ ?(?:mg|mcg|µg|μg|iu|"
        r"milligrams?|micrograms?|tablets?|capsules?|doses?)\b |"
        r"\b(?:daily|weekly|monthly)\ (?:dose|intake|allowance|limit)\b |"
        r"\bdos(?:e|es|age|ing)\b | \b(?:once|twice|three\ times)\ "
        r"(?:a|per)\ (?:day|week|month)\b | \bmg/day\b | \b/day\b",
    ),
    (
        "benefit",
        r"\bbenefits?\b | \bbeneficial\b | \beffective(?:ness|ly)?\b |"
        r"\befficacy\b | \bhelps?\b | \bhelped\b | \bgood\ for\b |"
        r"\bworks?\b | \bneuroprotective\b | \bcardioprotective\b |"
        r"\banti-(?:aging|ageing|inflammatory|cancer|oxidant)\b |"
        r"\boutcomes?\b | \bresponds?\ to\b | \brecovery\b | \bplausible\b",
    ),
    (
        "reported_effect",
        r"\breport(?:s|ed)?\ (?:feeling|less|more|fewer|better|improved|"
        r"reduced|no|skin)\b",
    ),
    (
        "guidance",
        r"\bfda[- ]approved\b | \bapproved\b | \blicensed\ for\b |"
        r"\brecommend(?:s|ed|ation|ations)?\b | \bguidelines?\b |"
        r"\bshould\ (?:get|take|aim|eat|drink|limit|be|have|receive|start|"
        r"stop|see|wear|apply|reapply|sleep|exercise|keep|include|check)\b |"
        r"\b(?:need|needs)\ (?:about|at\ least|around)\b",
    ),
)

# Cues that count only next to a health term: durations, household
# measures and limits say something about health in "Adults need 7 hours of
# sleep", nothing in "Roast for 30 minutes".
_HEALTH_BOUND_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "statistic",
        r"\b\d+(?:\.\d+)?\ ?(?:minutes|hours|years|months|weeks|days)\b",
    ),
    (
        "dosage",
        r"\b\d[\d,.]*(?:\ ?(?:[-–]|to)\ ?\d[\d,.]*)?\ ?(?:g|ml|units?|grams?|"
        r"servings?|sessions?|cups?|glasses|drinks)\b",
    ),
    ("guidance", r"\bat\ least\b | \bno\ more\ than\b | \bup\ to\b"),
)

_HEDGE_PATTERN = r"""
    \bmay\b | \bmight\b | \bcould\b | \bpossibl[ey]\b | \bpotential(?:ly)?\b |
    \bpreliminary\b | \bin\ (?:[\w-]+\ ){0,2}?(?:mice|rats|animals|
    rodents|monkeys|primates|yeast|worms|flies|model\ organisms)\b |
    \b(?:animal|mouse|rodent|cell|laboratory|lab)\ (?:studies|study|data|
    models?|experiments?)\b | \bin\ vitro\b | \bcell\ cultures?\b |
    \btheoretical(?:ly)?\b | \bsuggests?\b | \bsuggested\b |
    \b(?:appears?|seems?)\ to\b | \blikely\b | \bunlikely\b |
    \bnot\ (?:yet\ )?(?:been\ )?(?:proven|established|validated|tested|
    confirmed)\b | \bunproven\b | \bmore\ research\ is\ needed\b |
    \bemerging\b | \bearly(?:-stage)?\b | \blimited\b | \bpromising\b |
    \bhypothes[ie]s\w* | \bhypotheti\w+ | \bbelieved\b | \bthought\ to\b |
    \bsome\ evidence\b | \bpreclinical\b | \bpilot\b | \bsmall\ stud\w+ |
    \bplausible\b | \bunclear\b | \buncertain\b | \bperhaps\b |
    \bin\ theory\b | \bextrapolat\w+ | \bspeculat\w+ | \bexploring\b |
    \bnot\ a\ realistic\b | \bless\ certain\b | \bqualified\b
"""

_CERTAINTY_PATTERN = r"""
    \b(?:has|have|had)\ been\ (?:shown|proven|demonstrated)\b |
    \b(?:is|are|was|were)\ (?:shown|proven|demonstrated)\b | \bproven\b |
    \brevers(?:e|es|ed|ing|al)\b | \bcur(?:e|es|ed|ing)\b |
    \beliminat(?:e|es|ed|ing)\b | \bguarantee[sd]?\b | \bdefinitely\b |
    \balways\b | \bcompletely\b | \bpermanently\b | \b100\ ?%  |
    \bscientifically\b | \bclinically\ (?:proven|shown)\b | \bmiracle\b |
    \bestablished\b | \bdemonstrat(?:es|ed)\b | \bwill\ (?:\w+\ )?\w+s?\b
"""

CAUSAL_KINDS = frozenset({"effect", "causal"})

_FLAGS = re.IGNORECASE | re.VERBOSE


# Effect words are looked up word by word: one regular expression with
# hundreds of alternatives costs more than the rest of the lexicon together.
EFFECT_WORDS = frozenset(_EFFECT_WORDS)
WORD_TOKEN_RE = re.compile(r"\w+")

CUE_REGEXES: tuple[tuple[str, re.Pattern[str]], ...] = (
    *((kind, re.compile(pattern, _FLAGS)) for kind, pattern in _CUE_PATTERNS),
)
HEALTH_RE = re.compile(r"(?<![\w-])(?:" + _HEALTH_TERMS + r")(?![\w])", _FLAGS)
HEALTH_BOUND_REGEXES = tuple(
    (kind, re.compile(pattern, _FLAGS)) for kind, pattern in _HEALTH_BOUND_PATTERNS
)
MECHANISM_RE = re.compile(r"\b(?:" + _MECHANISM_PREDICATES + r")", _FLAGS)
HEDGE_RE = re.compile(_HEDGE_PATTERN, _FLAGS)
CERTAINTY_RE = re.compile(_CERTAINTY_PATTERN, _FLAGS)

BULLET_RE = re.compile(r"^\s*(?:[-*•·▪◦‣–—]+\s*|\d+[.)]\s+|[a-z][.)]\s+)+")

# Sentences that are never claims, whatever words they contain.
NEVER_CLAIM_RE = re.compile(
    r"""
    ^(?:related\ (?:reading|articles|posts)|read\ (?:more|next)|see\ also|
        further\ reading|references|sources|share\ this|back\ to\ top|
        table\ of\ contents|next\ article|previous\ article|you\ may\ also
        \ like|more\ from)\b |
    \bfor\ (?:educational|informational|general\ information)\ purposes\b |
    \bnot\ (?:intended|meant)\ (?:as|to\ be|to\ replace|to\ diagnose)\b |
    \b(?:does|do)\ not\ constitute\ (?:medical\ )?advice\b |
    \bnot\ a\ substitute\ for\ (?:professional\ )?(?:medical\ )?
        (?:advice|care|diagnosis)\b |
    \bhave\ not\ been\ evaluated\ by\ the\ (?:fda|food) |
    \bin\ (?:our|this)\ series\b |
    ^(?:table|figure|fig\.|box)\ \w+\ (?:lists|summari[sz]es|sets\ out|gives)\b |
    ^(?:in\ )?this\ (?:article|post|guide|page|section|piece|review)
        \ (?:will|takes|explores|looks|covers|discusses|reviews|explains|
        examines|walks|is\ about|answers|describes|outlines)\b |
    ^in\ this\ (?:article|post|guide|section|piece),?\ (?:we|you|i)\b |
    ^(?:below|here|next|read\ on|keep\ reading),?\ (?:we|you|i)?\b.*
        \b(?:explore|discuss|cover|look\ at|explain|learn|find\ out)\b |
    ^(?:we|we'll|let's|let\ us)\ (?:will\ )?(?:explore|discuss|look|cover|
        examine|review|explain|dive|unpack|walk)\b
    """,
    _FLAGS,
)

# What lay people, adverts and sellers say: reported, not asserted, so not a
# claim for the rules or the model, unless the sentence answers it
# ("Companies claim it cures colds, but it does not.").
REPORTED_RE = re.compile(
    r"""
    ^(?:some|many|a\ lot\ of|lots\ of|other)\ (?:[\w-]+\ ){0,2}?
        (?:people|parents|users|customers|clients|readers|grandparents|
        bloggers|influencers|fans|gym-goers|mums|moms|athletes|runners)
        \ (?:[\w-]+\ ){0,2}?(?:say|said|believe|swear|claim|insist|think|
        tell|argue|rave|ask|worry|worried)\b |
    \b(?:my|our|your|his|her)\ (?:[\w-]+\ )?(?:mum|mom|dad|mother|father|
        grandmother|grandma|gran|granny|grandad|grandfather|grandparents|
        aunt|uncle|neighbour|neighbor|friends?|family|partner|sister|
        brother|colleagues?)\ (?:[\w-]+\ ){0,2}?(?:says|said|swears|swore|
        insists|insisted|told|tells|believes|believed|thinks|reckons)\b |
    \b(?:someone|people|influencers|bloggers|advocates|fans|sellers|
        reviewers|customers|critics|campaigners|gym-goers)
        \ (?:on\ [\w-]+\ |online\ |often\ )?(?:says?|said|claims?|claimed|
        insists?|insisted|rave|raves|swear|swears|call|calls)\b |
    \bold\ wives'?\ tales?\b |
    \baccording\ to\ the\ (?:brochure|advert|label|packaging|website)\b |
    \bthe\ (?:advert|ad|brochure|label|packaging)\ (?:says|claims|promises)\b |
    \b(?:clinics?|marketers?|ads|advertisements?|advertisers?|brands?|
        companies|influencers|sellers|vendors|websites|marketing)
        \ (?:often\ |typically\ |frequently\ |now\ )?
        (?:promise|promises|claim|claims|tout|touts|advertise|advertises|
        market|sell)\b
    """,
    _FLAGS,
)
CONTRAST_RE = re.compile(
    r"""
    \bbut\b | \bhowever\b | \bin\ fact\b | \bactually\b | \bwhereas\b |
    ;\s | \band\ (?:it|they|this|that)\ (?:does|do|can|will|is|are)\b |
    \b(?:there\ is|with)\ no\ evidence\b | \bwhich\ is\ (?:true|false|wrong)\b
    """,
    _FLAGS,
)

# Calls to action and opinions about marketing: not claims unless they also
# state a cause, a number, a risk or a proven result.
SOFT_NOT_CLAIM_RE = re.compile(
    r"""
    ^(?:please\ )?(?:speak|talk|consult|ask|contact|call|book|schedule|visit|
        sign\ up|subscribe|learn|find\ out|click|download|get\ in\ touch|
        reach\ out|check\ with|see\ your|discuss|join|follow|share|email|
        register|request|make\ an\ appointment|tell\ your)\b |
    \bmarketing\b | \bhype\b
    """,
    _FLAGS,
)

# Clinic advertising: not a claim unless it also states an effect.
ADVERT_RE = re.compile(
    r"""
    \b(?:our|we)\ (?:clinics?|locations?|centers?|centres?|team|patients|
        staff|practitioners|nurses|offices?)\b |
    \blocations?\ in\b | \bwe\ offer\b | \boffers?\ [^.]{0,200}?\bto\ our\b |
    \bopen\ (?:monday|daily|seven\ days|7\ days)\b | \blocated\ (?:in|at)\b |
    \bbook\ (?:an|your)\ (?:appointment|session|consultation)\b
    """,
    _FLAGS,
)

HARD_KINDS = frozenset(
    {
        "effect",
        "causal",
        "percentage",
        "statistic",
        "sample_size",
        "risk",
        "shown",
        "reported_effect",
    }
)
CTA_HARD_KINDS = frozenset({"causal", "percentage", "statistic", "risk", "shown"})

TERMINAL = ".!?;"
SMALL_WORDS = frozenset(
    _words(
        "a an and as at by for from in into of on or the to vs vs. with is are "
        "what how why does do can your you"
    )
)
WORD_RE = re.compile(r"[A-Za-z][\w'+-]*")
