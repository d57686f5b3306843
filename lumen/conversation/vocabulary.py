"""Word lists and intent patterns for the deterministic understanding layer.

Patterns run over normalised text: lower case, no apostrophes, contractions expanded
("hasn't" -> "has not"), words separated by single spaces. Each pattern carries a weight:
about 0.9 when it states the intent outright, lower when it only hints at it.
"""

from __future__ import annotations

import re

from lumen.conversation.scope import CARRIERS

CONTRACTIONS = {
    "wheres": "where is", "whats": "what is", "whens": "when is", "hows": "how is",
    "whos": "who is", "hasnt": "has not", "havent": "have not", "hadnt": "had not",
    "didnt": "did not", "doesnt": "does not", "dont": "do not", "isnt": "is not",
    "wasnt": "was not", "arent": "are not", "werent": "were not", "wont": "will not",
    "cant": "can not", "cannot": "can not", "couldnt": "could not", "shouldnt": "should not",
    "wouldnt": "would not", "aint": "is not", "im": "i am", "ive": "i have", "its": "it is",
    "thats": "that is", "theres": "there is", "youre": "you are", "u": "you", "ur": "your",
    "yr": "your", "r": "are", "pls": "please", "plz": "please", "plis": "please",
    "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "ty": "thank you",
    "tysm": "thank you", "pkg": "package", "pkge": "package", "pckg": "package",
    "nvm": "never mind", "idk": "i do not know", "abt": "about", "wat": "what", "wen": "when",
    "wher": "where", "smth": "something", "sth": "something", "ppl": "people",
    "info": "information", "acct": "account", "addr": "address", "qty": "quantity",
}

# Words the typo correction may turn a misspelling into. Only words that patterns rely on.
KEYWORDS = frozenset("""
where order orders package packages parcel parcels track tracking tracked status shipped
shipping shipment ship ships dispatched dispatch posted mailed delivered delivery deliver
arrived arrive arriving arrival received receive gotten carrier courier number link estimated
estimate expected payment charged billing billed transaction invoice items products contents
fulfilled fulfillment fulfilment cancel cancelled canceled cancellation refund refunded
reimburse return returns returning exchange replace replacement address redirect reroute
damaged broken defective faulty cracked missing stolen amazon etsy ebay walmart aliexpress
temu shein alibaba wayfair mercari poshmark depop zalando rakuten flipkart tiktok human
person agent representative someone somebody support manager operator customer service
thanks thank hello greetings ridiculous unacceptable terrible awful horrible useless
pathetic disgusting outrageous angry furious frustrated frustrating annoyed annoying scam
scammed fraud rubbish garbage incompetent stuff another different second product recommend
recommendation suggest stock restock discount coupon promo voucher warranty material
update updates locate happened happening still waiting yesterday website
""".split())

# Frequent words that look like a keyword one letter away ("said" / "paid"): never corrected.
COMMON_WORDS = frozenset("""
about after again also always another around back been before being best better both bought
came care card check come coming could days does doing done down each else even ever find
fine first from give going gone good great hard have having hello help here hers home hope
house into just keep kind know last late later left less life like line list long look lost
made make many mean mine more most much must name need never next nice none note nothing
once only open other over paid part past plan please post price real right said same says
seen send sent shop shoe shoes short should show shown since size some soon sorry start
state still stop store such sure take talk tell than that their them then there these they
thing think this those told took tried true turn under until used very wait want week weeks
well went were what when where which while white whom wife will with word work would yeah
year years your yours today tomorrow monday tuesday wednesday thursday friday saturday
sunday month months hour hours order sold sale gift mail male dear deal bill fill hold item
track trick truck stack black block lock look book cook ordered ordering placed tracked
checked wanted waited needed looked asked called emailed paying sending shipping bought
""".split())

MONTHS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

# A number followed by one of these is an amount or a duration, not an order number.
NUMBER_BLOCKERS_AFTER = frozenset("""
day days week weeks wk wks month months year years yr yrs hour hours hr hrs minute minutes
min mins second seconds sec item items piece pieces pcs pc unit units time times dollar
dollars usd eur euro euros buck bucks pound pounds gbp cad aud cent cents % percent km
miles mi kg kgs lbs lb g gr ml am pm x pair pairs box boxes bottle bottles pack packs more
people person st nd rd th
""".split())

# A number right after one of these is a price, a phone number, a postcode or an address.
NUMBER_BLOCKERS_BEFORE = frozenset("""
$ € £ ¥ usd eur gbp paid pay cost costs spent price priced total phone call tel telephone
mobile cell text zip zipcode postcode postal pin apt apartment suite street st ave avenue
road rd room floor flat ext extension tracking card account iban sort reference ref
quantity qty size x
""".split())

PURCHASE_VERBS = frozenset("ordered bought purchased buy buying get got need want".split())
YEAR_CONTEXT = frozenset("in since of from year during until till by back".split())

_PLATFORMS = (
    "amazon|etsy|ebay|walmart|aliexpress|ali express|temu|shein|alibaba|wayfair|mercari|"
    "poshmark|depop|zalando|rakuten|flipkart|tiktok shop|facebook marketplace|best buy|bestbuy"
)
_CARRIERS = "|".join(re.escape(name) for name in CARRIERS)
_PEOPLE = (
    "human|humans|person|people|agent|representative|rep|someone|somebody|staff|team|manager|"
    "operator|support|customer service|customer support|real person|live agent"
)

_RAW_PATTERNS: dict[str, list[tuple[str, float]]] = {
    "human": [
        (rf"\b(talk|speak|chat|connect|transfer|put|reach|contact|need|want|get)\b( \w+){{0,3}}"
         rf" ({_PEOPLE})\b", 0.95),
        (r"\bescalate\b", 0.9),
        (r"^(agent|human|person|representative|operator|live agent|customer service)$", 0.95),
        (r"\b(human|real person|live agent|live person|representative|customer service)\b", 0.8),
    ],
    "other_platform": [(rf"\b({_PLATFORMS})\b", 0.95)],
    "not_received": [
        (r"\b(not|never|yet to)( \w+){0,2} (arrive|arrived|come|came|show up|showed up|shown up"
         r"|turn up|turned up|be here|here|been delivered|delivered)\b", 0.95),
        (r"\b(not|never)( yet)? (received|receive|got|get|gotten) (it|them|anything|a thing|yet"
         r"|my (order|package|parcel|stuff|items?|delivery|things?)"
         r"|the (order|package|parcel|delivery|items?))\b", 0.95),
        (r"\b(not|never)( yet)? received\b", 0.95),
        (r"\b(says?|said|shows?|showed|showing|marked)( it was| it is| it has been| as)?"
         r" delivered\b", 0.75),
        (r"\b(received|got|gotten) nothing\b|\bnothing (has )?(arrived|came|come)\b", 0.9),
        (r"\bno sign of\b", 0.85),
        (r"\b(package|parcel|order|delivery|shipment|it) (is |was |has been |got )?"
         r"(missing|lost|stolen)\b", 0.9),
        (r"\b(missing|lost|stolen) (package|parcel|order|delivery|shipment)\b", 0.9),
        (r"\bstill (waiting|nothing|not here|no sign)\b", 0.8),
    ],
    "tracking_link": [
        (r"\b(tracking|track|tracker) (link|url|page|website|site)\b", 0.95),
        (r"\b(link|url)\b", 0.85),
    ],
    "tracking_number": [
        (r"\btrack(ing)? (number|no|num|code|id|nr)\b", 0.95),
        (r"\b(waybill|consignment number)\b", 0.9),
    ],
    "carrier": [
        (r"\b(carrier|courier|shipping company|delivery company|postal service"
         r"|shipping provider|delivery service)\b", 0.95),
        (r"\bwho is (delivering|shipping|bringing|carrying)\b", 0.9),
        (r"\b(which|what) (company|service)\b", 0.85),
        (rf"\b({_CARRIERS})\b", 0.8),
    ],
    "eta": [
        (r"\bwhen\b( \w+){0,6} (arrive|arriving|get here|be here|be delivered|get delivered|come"
         r"|coming|receive|get it|get them|get my|expect|deliver|land|show up|reach)\b", 0.9),
        (r"\b(eta|estimated|estimate|expected|arrival)\b", 0.9),
        (r"\bdelivery (date|time|estimate|window|day)\b", 0.9),
        (r"\bhow (long|much longer|many days|soon)\b", 0.85),
        (r"\bwhen will\b", 0.6),
    ],
    "fulfilled_when": [
        (r"\bwhen\b( \w+){0,6} (was|did|has|were)\b( \w+){0,4} (fulfilled|fulfill|fulfil|shipped"
         r"|ship|sent|dispatched|posted|mailed|processed)\b", 0.9),
        (r"\b(fulfill?ment|fulfilment|ship|shipping|dispatch) date\b", 0.9),
        (r"\bwhat (date|day)\b( \w+){0,4} (ship|shipped|sent|fulfilled|dispatched)\b", 0.9),
        (r"\b(fulfilled|fulfillment|fulfilment)\b", 0.7),
    ],
    "shipped": [
        (r"\b(shipped|ship|ships|dispatched|dispatch|posted|mailed)\b", 0.85),
        (r"\b(been|was|get|got|it|is) sent\b|\bsent (out|off|yet)\b", 0.8),
        (r"\bleft the (warehouse|store|shop)\b", 0.8),
    ],
    "payment": [
        (r"\b(payment|paid|pay|charged|charge|billing|billed|transaction|invoice)\b", 0.9),
        (r"\brefunded\b", 0.85),
    ],
    "items": [
        (r"\bwhat (did|have) i (order|ordered|buy|bought|purchase|purchased|get)\b", 0.95),
        (r"\bwhat (i|i have) (ordered|bought|purchased)\b", 0.95),
        (r"\bwhat is in (my|the|this) (order|package|parcel|box)\b", 0.95),
        (r"\b(what|which) (items|products|things)\b", 0.95),
        (r"\b(items|products|contents)\b", 0.85),
    ],
    "track": [
        (r"\b(track|trace|locate|status)\b", 0.9),
        (r"\bwhere\b", 0.85),
        (r"\bwhat (is )?(happened|happening|going on) (to|with)\b", 0.85),
        (r"\b(check|look up|lookup|find|see)\b( \w+){0,3} (order|package|parcel|shipment)\b",
         0.85),
        (r"\b(tracking|shipping|shipment)\b", 0.75),
        (r"\b(cancelled|canceled)\b", 0.7),
        (r"\b(update|updates|news)\b", 0.6),
        (r"\b(order|package|parcel|delivery)\b", 0.5),
    ],
    "cancel": [(r"\b(cancel|cancellation|cancelling|canceling)\b", 0.9)],
    "refund": [(r"\b(refund|reimburse|reimbursement|money back|chargeback)\b", 0.9)],
    "return": [
        (r"\b(return|returns|returning)\b", 0.85),
        (r"\bsend (it |them |this |these )?back\b", 0.85),
    ],
    "exchange": [
        (r"\b(exchange|swap)\b", 0.9),
        (r"\b(different|other|another) (size|colou?r)\b", 0.85),
    ],
    "address_change": [
        (r"\b(change|update|edit|correct|fix|modify|wrong|different|new)\b( \w+){0,3}"
         r" (address|addy)\b", 0.9),
        (r"\baddress\b( \w+){0,3} (change|update|wrong|incorrect)\b", 0.9),
        (r"\b(redirect|reroute|re route)\b", 0.85),
    ],
    "change_order": [
        (r"\b(change|modify|edit|add|remove)\b( \w+){0,3} (order|item|items|product|quantity)\b",
         0.85),
    ],
    "damaged": [
        (r"\b(damaged|broken|defective|faulty|cracked|smashed|torn)\b", 0.9),
        (r"\bwrong (item|items|size|colou?r|product|thing|order)\b", 0.9),
        (r"\bmissing (item|items|part|parts|piece|pieces)\b", 0.9),
    ],
    "another_order": [
        (r"\b(another|other|second|different|2nd|next|one more|new) (order|package|parcel"
         r"|purchase)\b", 0.9),
        (r"\b(more than one|two|multiple|several) orders\b", 0.85),
        (r"\bmy other one\b", 0.85),
    ],
    "product_question": [
        (r"\b(recommend|recommendation|suggest|in stock|out of stock|restock|back in stock"
         r"|size guide|sizing|what size|which size|discount|coupon|promo|voucher|gift card"
         r"|warranty|made of|material|ingredients)\b", 0.85),
        (r"\bdo you (sell|have|carry|stock|make|ship to)\b", 0.85),
        (r"\b(does|will) (it|this|they) (come|fit|work)\b|\bhow much (is|are|does)\b", 0.85),
    ],
    "capabilities": [
        (r"\bwhat can you (do|help)\b|\bhow (does this|do you) work\b|\bwho are you\b", 0.95),
        (r"\bare you (a |an )?(bot|robot|ai|real|human|person|machine)\b", 0.95),
        (r"^(help|menu|options)$", 0.9),
    ],
    "frustration": [
        (r"\b(ridiculous|unacceptable|terrible|awful|horrible|worst|useless|pathetic"
         r"|disgusting|outrageous|angry|furious|frustrated|frustrating|annoyed|annoying"
         r"|fed up|sick of|scam|scammed|fraud|joke|wtf|ffs|rubbish|garbage|trash|hate"
         r"|stupid|incompetent)\b", 0.9),
    ],
    "thanks": [
        (r"\b(thanks|thank you|thank u|cheers|appreciate|appreciated|much obliged)\b", 0.9),
        (r"^(bye|goodbye|see you|great|perfect|awesome|cool|got it|brilliant|lovely)\b", 0.7),
    ],
    "greeting": [
        (r"^(hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|hola|bonjour|sup"
         r"|good (morning|afternoon|evening|day))\b", 0.9),
    ],
    "affirm": [
        (r"^(yes|yeah|yea|yep|yup|sure|ok|okay|please|y|yes please|please do|do it|go ahead"
         r"|sounds good|that would be great|that would help|of course|absolutely|definitely"
         r"|correct)( please)?$", 0.9),
    ],
    "deny": [
        (r"^(no|nope|nah|n|no thanks|no thank you|not now|never mind|nevermind|that is all"
         r"|all good|i am good|not really)$", 0.9),
    ],
}

INTENT_PATTERNS: dict[str, list[tuple[re.Pattern[str], float]]] = {
    intent: [(re.compile(source), weight) for source, weight in patterns]
    for intent, patterns in _RAW_PATTERNS.items()
}
