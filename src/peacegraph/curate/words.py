"""English words the drafter reads sentences by: titles, verbs of saying, prepositions, list words, role nouns.

General English, never phrases taken from the curated articles.
"""

from __future__ import annotations

#: Words that join a list of names ("Armenia, Azerbaijan and Russia").
COORDINATORS = {",", "and", "or", "&", "both", "as well as"}
#: Titles before a person's name: a run of capitalised words after one is guessed to be a person.
TITLES = {
    "president", "prime", "minister", "secretary", "ambassador", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.",
    "senator", "envoy", "general", "chancellor", "king", "queen", "spokesperson", "spokesman", "spokeswoman", "deputy",
    "foreign", "defence", "defense", "chairman", "chair", "speaker", "adviser", "advisor", "commissioner", "director",
    "representative", "governor", "mayor", "leader", "premier", "vice", "assistant", "special", "senior", "former",
}  # fmt: skip
#: Verbs of saying after a name: the name is guessed to be a person's.
SAYING = {"said", "says", "told", "stated", "added", "noted", "wrote", "argued", "explained", "warned", "declared"}
MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
#: English prepositions: as a trigger, one attaches to the words just before it ("the summit in Baku").
PREPOSITIONS = {
    "in", "at", "on", "of", "to", "from", "over", "about", "through", "via", "between", "against", "during", "after",
    "since", "within", "inside", "across", "following", "regarding", "concerning", "including",
}  # fmt: skip
#: A preposition's subject is at most this many tokens before it, its object at most this many after it.
PREPOSITION_GAP = (2, 3)
#: Words that open a clause whose subject comes after it ("Despite brokering the ceasefire, Russia ...").
FRONTING = {"despite", "after", "before", "by", "while", "having", "since", "when", "without"}
#: Nouns for people or bodies acting for a state: "Armenian officials" stand for Armenia.
STATE_AGENTS = {
    "officials", "official", "representatives", "representative", "counterparts", "counterpart", "leaders", "leader",
    "leadership", "government", "authorities", "forces", "troops", "military", "army", "diplomats", "delegation",
    "side", "ministers", "minister", "officers", "president", "negotiators", "envoys", "soldiers", "state", "people",
    "partner", "partners", "ally", "allies", "neighbour", "neighbours", "neighbor", "neighbors",
}  # fmt: skip
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}
#: Prepositions of place: a capital after one is the city, not its state's government.
LOCATIVE = {"in", "at", "near", "inside", "outside"}
#: Role nouns among the triggers ("supplier", "mediator", "partner"): after a possessive, the possessor is the object.
ROLE_NOUN_ENDINGS = ("er", "or", "ers", "ors")
ROLE_NOUNS = {"ally", "allies", "backer", "backers", "partner", "partners"}
#: Words before a verb that say it has not happened (yet): "has not signed", "if he signs", "would ratify",
#: "unable to reach", "without a signed agreement". A completed agreement status said so is still under negotiation.
NOT_YET = {
    "not", "n't", "never", "no", "without", "unable", "if", "unless", "would", "could", "should", "will", "may", "might",
    "yet", "whether", "possible", "potential", "prospect", "prospects", "hope", "hopes", "toward", "towards", "before",
    "until", "once", "weighing", "ready", "aim", "aims", "seek", "seeks", "sought", "expected",
}  # fmt: skip
#: Statuses an agreement has only once it was concluded; said of an agreement not concluded yet, it is under negotiation.
CONCLUDED_STATUSES = {"status-signed", "status-ratified", "status-in-force", "status-reached-in-principle"}
#: Relations that say an agreement was concluded: said of one not concluded yet, they are no fact.
CONCLUDING_RELATIONS = {"signatoryOf", "ratified"}
#: Quotation marks, straight and curly.
QUOTE_MARKS = {'"', "\u201c", "\u201d", "''", "``"}
#: Verbs of holding a meeting: "X held talks with A and B" makes X the host, a third party bringing two together.
HOLDING = {"held", "holds", "hold", "holding", "convened", "convenes", "convene", "convening", "chaired", "chairs"}
#: Auxiliary verbs: one between a noun and a name after it opens a new clause ("the mediator has been ...").
AUXILIARIES = {"is", "are", "was", "were", "has", "have", "had", "been", "be", "will", "would", "can", "could", "must", "should"}
#: Forms of "be" that make a participle after them passive ("was signed", "has been accused").
BE_FORMS = {"is", "are", "was", "were", "been", "being", "be"}
#: Verbs of hoping, with "for" a stance on what is hoped for ("both sides hope for a deal").
HOPING = {"hope", "hopes", "hoped", "hoping", "wish", "wishes", "wished", "wishing"}
#: Words before an agreement that say it is near but not reached ("an impending deal", "close to a deal", "the outline
#: of a deal"): it is still under negotiation. Phrases are matched on the words right before the agreement's name.
#: (Wordings that were seen in the five curated articles' missed facts are left out of these lists on purpose: the
#: drafts are for articles not in the repository.)
PROSPECT_BEFORE = (
    "impending", "prospective", "forthcoming", "draft", "prospect of", "prospects of",
    "close to", "closer to", "closer than ever to", "near to", "nearing", "on the verge of",
    "on the brink of", "within reach of", "outline of", "outlines of", "pursuit of", "push for",
    "path to", "path toward", "path towards", "road to", "steps toward", "steps towards", "work on", "working on",
)  # fmt: skip
#: Words after an agreement that say it is near but not reached ("a deal in sight", "the deal is close", "push it across
#: the finish line"); forms of "be", "seem", "remain" and quotation marks may stand between.
PROSPECT_AFTER = (
    "within reach", "in sight", "in reach", "in the works", "in the making", "across the finish line", "near",
    "close", "elusive",
)  # fmt: skip
#: Verbs of perceiving something as something: "A is seen by B as ...", "B views A as ..." (a stance of B on A).
PERCEIVING = {
    "see",
    "sees",
    "saw",
    "seen",
    "view",
    "views",
    "viewed",
    "regard",
    "regards",
    "regarded",
    "perceive",
    "perceives",
    "perceived",
}
#: Words that say relations are good or bad ("good relations with", "relations with ... are strained").
RELATION_QUALITIES = {
    "good", "close", "closer", "warm", "warmer", "friendly", "strong", "stronger", "cordial", "excellent", "bad", "poor",
    "strained", "tense", "frosty", "cold", "hostile", "troubled", "low", "lowest", "high", "deteriorating", "improving",
}  # fmt: skip
#: Adjectives of attitude that take a preposition: "wary of", "sympathetic to", "dissatisfied with", "open to".
ATTITUDE_ADJECTIVES = {
    "wary", "sceptical", "suspicious", "distrustful", "dissatisfied", "satisfied", "unhappy", "happy",
    "inattentive", "hostile", "opposed", "averse", "sympathetic", "receptive", "optimistic", "pessimistic",
    "hopeful", "cautious", "critical", "indifferent", "enthusiastic", "concerned", "worried", "frustrated", "angry",
}  # fmt: skip
#: Verbs of turning toward (any form: "turning", "pivoted"): "A turned toward B" is a stance of A on B.
TURNING = ("turn", "pivot", "lean", "tilt", "drift", "gravitat", "veer")
#: Verbs of attitude that may take "this" or "that" for what the sentence before said: "Armenia fears this could ...".
ATTITUDE_VERBS = {
    "fear", "fears", "feared", "welcome", "welcomes", "welcomed", "oppose", "opposes", "opposed", "reject", "rejects",
    "rejected", "resent", "resents", "resented", "dread", "dreads", "dreaded",
}  # fmt: skip
