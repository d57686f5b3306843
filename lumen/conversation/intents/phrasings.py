"""Training phrasings for the intent model, written by the Lumen team.

Each intent has templates. ``{slot}`` takes any value of SLOTS[slot]; ``[a|b|]`` takes one of
the alternatives (an empty one drops the part). ``examples()`` expands them deterministically,
then adds the noise real shoppers type: typos, no punctuation, greetings and fillers around the
request. Nothing here comes from the shared evaluation corpus, which stays outside the project.
"""

from __future__ import annotations

SLOTS: dict[str, tuple[str, ...]] = {
    "order": ("order", "package", "parcel", "shipment", "delivery", "stuff", "items", "purchase",
              "product", "things", "pkg", "item", "order no 1042", "order #1042", "box"),
    "my": ("my", "the", "our", "this", "mine"),
    "where": ("where is", "where's", "wheres", "where", "whr is", "where the hell is",
              "where exactly is"),
    "hi": ("hello", "hey", "hi there", "excuse me", "sir",
           "hello team", "dear team", "madam", "yo", "hii", "helo"),
    "please": ("please", "pls", "kindly", "plz", "can you please", "could you"),
    "person": ("a human", "a person", "an agent", "a real person", "a representative",
               "someone", "customer service", "your support team", "an operator",
               "a manager", "a supervisor", "a live agent", "an executive", "a staff member",
               "somebody", "the team", "a real human", "support", "a customer care executive",
               "the owner", "your boss", "a human being", "a person not a bot", "live chat"),
    "talk": ("talk to", "speak to", "speak with", "chat with", "connect me to", "connect me with",
             "transfer me to", "put me through to", "get me", "i want", "i need",
             "let me talk to", "can i talk with", "can i speak with", "i would like to speak to",
             "i wanna talk to", "is there", "i demand", "give me", "pass me to", "reach"),
    "contact": ("phone number", "ph number", "ph no", "phone no", "mobile no", "cell number",
                "tel number", "contact number", "helpline number", "customer care phone",
                "email address", "whatsapp number", "support email", "call centre number",
                "toll free number", "contact details", "mobile number", "contact email",
                "office address", "hotline", "support phone", "number to call"),
    "days": ("two weeks", "10 days", "a month", "3 weeks", "forever", "ages", "5 days",
             "over a week", "15 days", "20 days", "so long", "a long time", "45 days"),
    "item": ("shirt", "shoes", "mug", "phone case", "dress", "jacket", "bag", "watch", "lamp",
             "headphones", "charger", "book", "perfume", "protein powder", "bottle", "hoodie",
             "cream", "toy", "product", "thing", "earrings", "chair", "cable", "tshirt"),
    "country": ("canada", "australia", "the uk", "germany", "france", "india", "the us",
                "usa", "mexico", "japan", "new zealand", "ireland", "spain", "italy",
                "brazil", "singapore", "the netherlands", "europe", "my country", "overseas",
                "internationally", "abroad", "dubai", "south africa"),
    "carrier": ("ups", "fedex", "usps", "dhl", "royal mail", "canada post", "the courier",
                "the post office", "the delivery guy", "the driver", "the postman"),
    "cancel": ("cancel", "cancel my order", "cancel the order", "cancel this order",
               "cancel order 1042", "stop my order", "stop the order", "call off my order",
               "revoke my order", "drop my order"),
    "refund": ("a refund", "a rebate", "my rebate", "restitution", "compensation", "a credit back",
               "my money back", "a full refund", "the money back", "a reimbursement",
               "my refund", "refund money", "the refund", "a chargeback", "money returned"),
    "address": ("address", "shipping address", "delivery address", "postal address",
                "street address", "house number", "zip code", "postcode", "apartment number",
                "address details", "shipping details", "delivery location", "pin code"),
    "broken": ("broken", "damaged", "cracked", "defective", "faulty", "torn", "smashed",
               "not working", "dead on arrival", "leaking", "scratched", "dented", "ripped",
               "stained", "expired", "missing parts", "in pieces", "bent", "crushed"),
    "wrong": ("the wrong item", "the wrong size", "the wrong colour", "the wrong color",
              "a different product", "someone else's order", "the wrong product",
              "the wrong model", "an item i did not order", "only half my order",
              "the wrong thing", "a fake product", "a used item", "less quantity"),
    "frustrated": ("ridiculous", "unacceptable", "a joke", "terrible", "awful", "useless",
                   "pathetic", "a scam", "the worst", "so annoying", "disgusting",
                   "beyond frustrating", "absolutely shocking", "rubbish"),
    "amount": ("$40", "25 dollars", "1200 rupees", "€30", "$1,050", "300 rs", "£18.99",
               "the full amount", "the money", "what i paid"),
    "pack": ("bar", "pack", "bottle", "piece", "sachet", "pair", "jar", "can", "box", "tin",
             "packet", "tube"),
    "platform": ("amazon", "ebay", "etsy", "walmart", "aliexpress", "temu", "shein", "flipkart",
                 "alibaba", "wayfair", "best buy", "target", "zalando", "tiktok shop"),
}

TEMPLATES: dict[str, tuple[str, ...]] = {
    "track": (
        "[any progress|progress update|an update please] [on|for|with] [my|the] [order|"
        "purchase|shipment|parcel]", "[i would like|id like|i want] [an update|news|some "
        "info] [about|on|regarding] [my|a] [recent|previous|last] [order|purchase]",
        "[can you|could you|please] [see|look|check] [how|where] [my|the] [parcel|order] is "
        "[doing|getting on|at the moment|right now]", "[is|has] [the|my] [order|parcel] "
        "[reached|gotten to] [me|my town|the local depot] [yet|already]",
        "[whats the|what is the] [latest|current] [on|with|status of] [my|the] [order|"
        "parcel|purchase]", "[i bought|i ordered|i purchased] [something|a {item}|an item] "
        "[here|from this shop|from you] [and|] [want|wanted|would like] to [track|check] it",
        "{where} {my} {order}", "{where} {my} {order}?", "[track|trace|locate] {my} {order}",
        "[can you|could you|please|pls|i want to|i need to|help me] [track|check|find|locate]"
        " {my} {order}",
        "[status|update|news|info|information] [of|on|about|for] {my} {order}",
        "{order} status [check|lookup|now|today|info]", "status",
        "[what is|whats|what's] the status of {my} {order}",
        "[any|got any|is there any] [update|updates|news] [on|about] {my} {order}",
        "[what happened|whats happening|what is going on] [to|with] {my} {order}",
        "[i want|i need|i would like] to know [where|the status of] {my} {order} [is|]",
        "[i ordered|i placed an order|i bought something] [last week|yesterday|on monday|a few"
        " days ago|recently] [and|but] [where is it|whats the status|any update]",
        "[can i|how do i|how can i] [track|check on|follow] {my} {order}",
        "is {my} {order} on [its|the] way", "is {my} {order} [coming|out for delivery|"
        "in transit|still coming]",
        "[where|wheres] [it|my stuff|my things|my goodies]",
        "[check|look up|lookup] [order|my order] [1042|#1042|]",
        "order [track|status check|tracking info|tracking please]", "tracking [my package|info|]",
        "[tell me|show me|let me know] [where|the status of] {my} {order} [is|]",
        "[my|the] order [1042|#1042] [status|where is it|?]",
        "[hi|hello|hey] i [want|wanted|would like] to [check|track|know about] my order",
        "what is status of my order", "till now no update on my order", "when i can know "
        "where my parcel is", "order kaha hai", "[order|parcel] [where|location] [please|pls|]",
        "[has|did] {my} {order} [left|leave] the warehouse", "[where|wher] is [the|my] "
        "[order|parcel] [i paid for|i bought]",
        "need [status|update|tracking] [for|of|on] [my|an] order",
        "[is there|do you have] any [news|information|info] [on|about] [my|an] order",
        "[how|where] [can|do] i see [my|the] order [status|progress|location]",
        "[i cant|i can not|unable to] find [my|the] [tracking|order status]",
        "what[s|] going on with [my|the] order", "[package|parcel] [status|update] [?|]",
        "where did [my|the] [package|order|parcel] go", "[my|the] order [is|has] not updated",
        "[tracking|the tracking] [is not|isnt|hasnt been] [updating|updated|moving]",
        "[it|my order] [says|shows] [in transit|processing|pending] [for days|since last "
        "week|forever]",
        "[list|show] [all|] [my|the] orders [i have placed|from this year|so far|with you]",
        "[what|which] orders [have i|did i] [placed|made|place|make] [before|so far|with you|this "
        "year]",
        "[so|well|ok] i [placed an order for|bought|got] [a|an|some] {item} [from your shop|on "
        "your site|here] [a while ago|on sunday|last month]",
        "[did|has] [my|the] [parcel|package|order] [reach|reached|make it to|made it to] [my|the] "
        "[house|door|flat|address|building] [yet|already|]",
    ),
    "eta": (
        "when will [the|our|this] {order} [arrive|come|get here|be delivered|reach me|be here]",
        "when will my [parcel|shipment|stuff|items|purchase|things|box] [arrive|"
        "come|get here|reach me|be here]", "when will my order [come|get here|reach me|show up]",
        "when [will|do|can|would] i [get|receive] {my} {order}",
        "[how long|how many days|how much time] [will it|does it|until it|till it|for it to]"
        " [take|arrive|come|reach|be delivered|get here]",
        "[how long|how many days] [will|does] [delivery|shipping] take",
        "[eta|delivery date|arrival date|expected delivery|estimated delivery] [of|for|on|] "
        "{my} {order}",
        "[what is|whats|what's] the [eta|expected delivery date|estimated arrival|delivery "
        "date|delivery time]",
        "when [is|does] {my} {order} [arriving|coming to me|due|expected|getting delivered]",
        "[any idea|do you know] when {my} {order} [will arrive|will come|is coming]",
        "[by|till|until] when [will|can] i [get|receive] [it|my order|the parcel]",
        "[will|can] {my} {order} [arrive|come|be delivered|get here] [by friday|before "
        "christmas|tomorrow|this week|next week|by the weekend|on time|in time for my "
        "birthday]",
        "[i need|i want] [it|my order] [by friday|before the weekend|urgently|for a wedding]"
        " [will it arrive|will it come|can it arrive] [in time|on time|]",
        "[when|wen] [it|my order] [will|is going to] [come|arrive|deliver|be delivered]",
        "[how soon|how fast] [can i get|will i get|will it arrive]",
        "[delivery|shipping] [time|timeline|estimate|window|duration]",
        "how much longer [do i have to|will i|must i] wait", "when i will get my order",
        "when my parcel will reach", "expected date of delivery", "[delivery|arrival] "
        "[date|day] [pls|please|?|]", "what day [will|does] it [arrive|come]",
        "[is|will] [delivery|my order] [be|come] [today|tomorrow|this week]",
        "[roughly|approximately|about] when [will|should] [it|my order] [show up|land|arrive]",
        "when [should|can] i expect [the|our] [order|package|delivery|parcel]",
        "when should i expect my [order|package|delivery|parcel]",
    ),
    "not_received": (
        "[this is taking|its taking|it is taking] [ages|forever|way too long|so long] [to "
        "arrive|to get here|for my {order}|]", "[what is the|why the|whats with the] [hold "
        "up|delay|wait] [with|on|for] [my|the] [order|parcel|delivery]",
        "[still waiting|been waiting|waited] [for|] [weeks|a month|ages|{days}] [for|on] [my|"
        "the] [order|parcel|package|stuff]", "[my|the] [order|parcel] [is|has been] [overdue"
        "|stuck|lost in transit|held up] [for|since] [days|a week|ages|{days}]",
        "[bought|purchased|paid for] [it|this|something] [weeks|a month|{days}] ago [still|"
        "and still|yet] [nothing|no sign|not here|waiting]",
        "[the|my] [parcel|order|package] [never|still hasnt|has still not] [showed up|made it"
        "|turned up|reached my house]",
        "{my} {order} [has not|hasnt|did not|didnt|never] [arrived|come|arrive|shown up|"
        "turned up]",
        "[i have not|i havent|i did not|i didnt|i never|still not|not yet] [received|got|"
        "gotten] {my} {order}",
        "[its|it has|it's] been {days} [and|but] [nothing|no package|still nothing|i have "
        "nothing|no sign of it|it is not here]",
        "[i ordered|ordered|placed the order] {days} ago [and|but] [it never came|nothing "
        "arrived|still not received|have not got it|no delivery yet]",
        "[still|still no|still not] [waiting|nothing|no sign|no delivery|here] [for|of|] {my}"
        " {order}",
        "[it|tracking|the app|the website] [says|shows|said] delivered but [i never got it|"
        "nothing is here|i have not received it|it is not here|no package]",
        "[my|the] {order} [is|was|got] [missing|lost|stolen|never delivered]",
        "[where is|wheres] {my} {order} [its|it is] been {days}",
        "[not|never] [received|got] [it|anything|the parcel|my items|my order] [yet|so far|"
        "till now|until now|]",
        "[i am|im] still waiting [for|on] {my} {order}",
        "[package|parcel|shipment] [not|never] [delivered|received|arrived|came]",
        "[nothing|no package|no parcel] [has|] [arrived|came|come|showed up] [yet|]",
        "[the|my] delivery [never|did not|didnt] [happen|come|arrive|show up]",
        "[i am|im] not getting my [order|product|parcel|delivery]",
        "till now not received my [order|product|parcel]", "[product|order] not yet received",
        "[my|the] order [is|was] supposed to [arrive|come|be here] [yesterday|last week|days "
        "ago|on monday] [but|and] [it didnt|it did not|nothing]",
        "[it|the parcel] [should have|was supposed to have] arrived [by now|already|last week]",
        "[i paid|i ordered] {days} ago and [still|i still] [dont|do not] have [it|my order]",
        "[late|delayed|overdue] [order|delivery|package|parcel]",
        "[my|the] [delivery|package|parcel] is [late|delayed|overdue|taking forever]", "[my|the] "
        "order is [running late|so late|overdue|taking forever|badly delayed]",
        "[why|how come] [hasnt|has not|didnt|did not] {my} {order} [arrived|come|been "
        "delivered]",
        "[marked|shown|showing] as delivered but [not received|i do not have it|never "
        "came|nothing here]",
        "[the courier|the driver|the postman] [never came|did not come|didnt deliver|left "
        "nothing]",
        "{order} never [came|arrived|showed up]", "[still|] no [delivery|package|parcel]",
        "[no one|nobody] delivered [my|the] [parcel|order|package]",
        "[its|it is|that is|already] {days} since [i ordered|my order|payment|i paid] [and "
        "nothing|still no parcel|and no sign|]",
        "{days} [and|] [counting|of waiting|still waiting|no parcel]",
        "[your|the] [delivery|shipping|courier] is [always|so|really] [slow|late|behind]",
        "[why|how come] [does|is] [your delivery|shipping|the courier] [take|taking] so long",
        "[ordered on|paid on|placed on] [the 3rd|monday|the first|march 2] [still|and still|but] "
        "[nothing|no parcel|not here|waiting]",
    ),
    "shipped": (
        "[has|did] {my} {order} [shipped|been shipped|ship|been sent|been dispatched|been "
        "posted|gone out]",
        "[is|was] {my} {order} [shipped|dispatched|sent|sent out|out yet|on its way yet]",
        "[did you|have you] [ship|shipped|send|sent|dispatch|dispatched|post|posted|mail|"
        "mailed] [it|my order|my package|my stuff] [yet|already|]",
        "[has|did] it [ship|shipped|go out|leave] [yet|already|]", "shipped yet",
        "[when will|when does|when do you] [it|my order|my pre order|you] [ship|dispatch|send"
        " it out]",
        "[is it|has it been] [dispatched|shipped|sent|posted] [yet|already|by now]",
        "[any|] shipping [confirmation|update|status]", "[not|still not] shipped [yet|]",
        "[why|how come] [hasnt|has not|isnt|is not] [it|my order] [shipped|been shipped|"
        "dispatched]",
        "[i placed|placed] [an|my] order [last tuesday|on friday|yesterday|last week] [has it"
        "|did it] [shipped|ship|been sent]",
        "[was|has] [it|my order] [handed|given] to the [courier|carrier|post office]",
        "[did|has] [my|the] order [leave|left] [your|the] [warehouse|store|shop]",
        "[order|parcel] [dispatched|shipped] [?|or not|yet|]",
    ),
    "tracking_number": (
        "[tell me|give me|send me|i need|could i get|can i have|where is] [the|my|"
        "a] tracking [number|no|code|id]",
        "tracking [number|no|code|id|#] [please|pls|?|]",
        "[can you|could you|please|pls] [send|give|share] [me|] [the|my] [tracking number|"
        "tracking code|waybill number|consignment number]",
        "[i need|i want|need] [the|my|a] [tracking|awb|waybill] [number|no|code]",
        "[do you have|is there] a tracking [number|code] [for|on] [my|the] [order|parcel]",
        "[didnt|did not|never] [get|receive] [a|the|my] tracking [number|code|id]",
        "[what is|whats] [my|the] [awb|waybill|consignment] number",
    ),
    "tracking_link": (
        "[send|give|share|email] [me|] [the|a|my] tracking link",
        "[can i get|can i have|where is|whats|what is] [the|a|my] tracking [link|url|page]",
        "[tracking|track] [link|url|page|website] [please|pls|?|]", "[the|a] link [please|pls|]",
        "[send|give] me the link", "[link|url] to track [it|my order|my package|]",
        "[is there|do you have] a [link|url|page|website] [to|where i can] track [it|my order]",
        "[where|how] [can|do] i [click|go] to track [it|my order|]",
    ),
    "carrier": (
        "[which|what] [carrier|courier|delivery company|shipping company|postal service|"
        "delivery service] [is it with|are you using|is delivering it|is it|do you use|"
        "ships it|]",
        "[who is|whos] [delivering|shipping|bringing|carrying] [it|my order|my package]",
        "[is it|is my order|is my package] [coming|being delivered|shipped] [by|with|via] "
        "{carrier}", "[what|which] [courier|carrier] [is it|]",
        "[do you|did you] [ship|send|use] [with|via|] {carrier}",
        "[carrier|courier] [name|details|info|please|?|]",
        "[which|what] [company|service] [is delivering|has|is shipping] [my|the] "
        "[order|parcel|package]",
    ),
    "fulfilled_when": (
        "when [was|did] [it|my order|my package|the order] [fulfilled|shipped|sent|dispatched"
        "|posted|mailed|processed|ship|get sent]",
        "[what|which] [date|day] [was|did] [it|my order] [shipped|sent|dispatched|fulfilled|"
        "ship]", "[fulfillment|fulfilment|ship|shipping|dispatch] date [please|?|]",
        "when did you [ship|send|dispatch|post|fulfil|fulfill] [it|my order|my package]",
        "[was it|has it been] fulfilled", "fulfilled [when|date|?]",
        "[what date|when exactly] [did|was] [my|the] [order|parcel] [leave|go out|ship]",
    ),
    "payment": (
        "[was|have] i [charged|billed|been charged|been billed]",
        "[has|did] [my|the] payment [go through|gone through|work|succeed|fail|been received"
        "|get accepted]",
        "payment [status|confirmation|received|pending|failed|?]",
        "[did|have] you [receive|get|got|taken|take] [my|the] [payment|money]",
        "[is|was] [my|the] order [paid|paid for] [yet|already|]",
        "[my|the] payment [is|was|shows|says] [pending|still pending|not confirmed|declined]",
        "[i|] [paid|already paid] [but|and] [it says|the order shows|status is] [unpaid|"
        "pending|not paid]", "[money|amount] [deducted|debited|taken] [but|and] [no|not] "
        "[order|confirmation|confirmed]",
        "[was|did] [my|the] card [charged|billed|debited]", "invoice [please|for my order|]",
        "[can i get|send me|i need] [an|the|my] [invoice|receipt|bill] [for my order|]",
        "[charged|billed] twice", "[did|has] [my|the] [transaction|payment] [complete|"
        "completed|go through|succeed]",
    ),
    "items": (
        "what did i [order|buy|purchase|get]", "what [is|was] in [my|the] [order|package|"
        "parcel|box]", "[which|what] [items|products|things] [are|were|did i] [in my order|"
        "order|buy|in the box]", "[items|products|contents] [in|of] [my|the] [order|package]",
        "[list|show] [me|] [the|my] [items|products|order contents]",
        "what [i|i have] [ordered|bought|purchased]", "[remind me|tell me] what i [ordered|"
        "bought]", "[how many|which] items [did i order|are in my order|are coming]",
        "[is|are] [all|both|all the] [items|products] in [one|the same] [package|parcel|box]",
    ),
    "cancel": (
        "[i want|i need|i would like|id like|i wanna|pls|could you|can i|how do i|how "
        "would i|help me] {cancel}",
        "{cancel} [asap|immediately|right now|today]",
        "[is it possible|can i still|is it too late] to {cancel}",
        "[i changed my mind|i dont want it anymore|i do not need it anymore|i ordered by "
        "mistake|i ordered the wrong thing|found it cheaper elsewhere] [please|pls|can you|"
        "i want to|] [cancel it|cancel the order|cancel]",
        "[cancellation|order cancellation|cancel request] [please|pls|request|needed]",
        "[how|where] [do|can] i [request|submit|make] a cancellation",
        "[i placed|i made] [an|a duplicate|two] order[s|] by mistake [please|] [cancel|remove]"
        " [one|it|them|]", "[dont|do not] [ship|send] [it|my order] [i want to cancel|"
        "cancel it|please cancel|]",
        "[what is|whats] [your|the] cancellation [policy|process|fee]",
        "[want|need] to cancel", "[cancl|cancle|cansel] [my|the|] [order|oder|purchase]",
        "[can|could] [you|u] [cancel|stop] [it|my order|the shipment] [before it ships|"
        "please|right away]",
        "[i|i have] [cancelled|canceled] [my|the] order [but|and] [still|] [no|did not get]"
        " [refund|confirmation|email]",
        "[i want to|i wish to|request to] [cancel|cancell] [and get a refund|my subscription|"
        "the item|one item]",
        "[i lost my job|money is tight|i am short on money|i ran out of money] [please|so "
        "please|can you] cancel [it|my order|the order]",
        "[i|we] [can not|cannot|cant] [afford|keep] [it|this order|the order] [anymore|any more|] "
        "[cancel it|please cancel|]",
        "[i dont|i do not|we dont] [want|need] [the|this|my] [order|purchase|{item}] [anymore|any "
        "more|now] [please stop it|stop it|]",
    ),
    "refund": (
        "[please|pls|kindly] [credit|put] the [money|amount|payment] back [on|to] my [card|"
        "account|paypal]", "[i was promised|you promised|they promised] [a refund|my money "
        "back|a reimbursement] [and|but] [nothing yet|i have not seen it|it never came]",
        "[reimburse|compensate] me [for|on] [the|my] [order|purchase|{item}] [please|]",
        "[still|i am still|still no sign of my] [waiting for|] [reimbursement|refund|money "
        "back] [after|since] [two weeks|the return|a month|cancelling]",
        "[how do|how would|when do] i get [reimbursed|compensated|paid back|my funds back]",
        "[i want|i need|i would like|id like|i demand|give me|can i get|can i have|where is|"
        "when will i get] {refund}",
        "[refund please|refund pls|refund request|request a refund|refund status]",
        "[how|where] [do|can] i [get|request|claim|apply for] {refund}",
        "[when|how long until] [will|do|does] [i get|my refund|the refund|the money] [back|"
        "arrive|come|be processed|]", "[is|has] my refund [processed|done|been processed|"
        "on its way|approved]", "[i returned|i sent back|i cancelled] [it|the item|my order] "
        "[and|but] [no|still no|did not get|never got] [refund|money|my money back]",
        "[please|pls|kindly] [refund|reimburse] [me|my money|the amount|my order]",
        "[i was|i got] [charged|billed] [twice|wrongly|too much|for nothing] [please|i want a]"
        " refund", "[money back|moneyback] [please|pls|guarantee|]",
        "[refund|return the money] [for|of] [my|the] [order|item|product|payment]",
        "[i want|want|we need] [my|the] [money|amount|payment] [back|returned|refunded]",
        "[where is|what happened to|any update on] [my|the] refund",
        "[refund|refunded] [not|never] [received|credited|showed up]",
        "[where is|whats happening with|any sign of|status of|progress of] [my|the] {refund}",
        "[has|was] [my|the] {refund} [been|] [processed|approved|sent|paid out] [yet|already|]",
        "[you|the store|your shop] [owe|owes] me {amount}",
        "[i want|please send|send] {amount} back [to my card|to my account|]",
    ),
    "return": (
        "[i want|i need|i would like|id like|how do i|how can i|can i|help me] [return|send "
        "back] [this|it|my {item}|the {item}|an item|my order|the product]",
        "[return|returns] [request|process|label|form|please|pls]",
        "[how|where] [do|can|should] i [return|send back|ship back] [it|this|an item|the "
        "{item}|my order]", "[i want to|i wanna|i need to] return [it|this|my purchase|the "
        "{item}] [it doesnt fit|its too small|i dont like it|it is not what i expected|]",
        "[can i|is it possible to|am i able to] [return|send back] [an|the|my] [item|order|"
        "product|{item}] [after|within] [30 days|a week|two weeks|]",
        "[i need|send me|where is] [a|the] return [label|shipping label|address|form]",
        "[start|open|make|initiate|create] a return", "return [the|an|this] [order|item|{item}]",
        "[the|my] {item} [doesnt fit|does not fit|is too big|is too small] [i want to return"
        " it|can i send it back|]",
        "[i want|id like|can i get|i need] a replacement [for|of] [my|the] [{item}|item|order]",
        "[replace|replacement] [my|the|this] [{item}|item|order|product] [please|pls|]",
    ),
    "exchange": (
        "[can i|how do i] [exchange|swap] [this|it|my {item}|the {item}] [for|with] [a "
        "different size|another colour|a bigger one|a smaller one|something else]",
        "[exchange|swap] [my|the] [{item}|order|item] [please|pls|]",
        "[i want|i need|can i get] [a different size|another size|a different colour|a "
        "bigger size|a smaller size] [instead|of my {item}|]",
        "[can i|could i|i want to|i would like to] [exchange|swap] [it|this|my order|the "
        "{item}]", "exchange [please|pls|for another size|for a different colour]",
        "[i ordered|i got] the wrong size [can i|i want to|please] [exchange|swap] [it|]",
        "[do you|can you] [exchange|swap] [sizes|colours|items]",
    ),
    "policy_returns": (
        "[are there|what are the] [conditions|rules|exceptions] [for|on] [returns|refunds|"
        "sending things back]", "[will you|do you] [accept|take] [a|an] [opened|used|worn|"
        "unboxed] [item|product|{item}] [back|as a return]",
        "[what is|whats|what's|tell me|i want to know|can you tell me|show me] [your|the] "
        "[return|returns|refund|exchange|replacement|money back] policy",
        "[returns|refund|exchange] policy [please|pls|?|]",
        "[return|replacement] policy [please|pls|details|info]",
        "[how many days|how long] do i have to [return|send back|exchange] [an item|it|"
        "something|my order]", "[do you|does the store|do u] [accept|take|allow] returns",
        "[can|do] you [accept|do] [returns|exchanges|refunds] [on|for] [sale items|used items|"
        "opened items|worn items|gifts]", "[is there|whats the|what is the] [return|refund] "
        "[window|period|deadline|time limit]",
        "[are|is] [returns|return shipping|exchanges] free",
        "[who pays|do i pay|do i have to pay] for return shipping [from abroad|from {country}|"
        "internationally|on an exchange|]",
        "[what is|whats] [your|the] policy [on|for|about] [returns|refunds|exchanges|"
        "damaged items]", "[do you|can you] offer [refunds|exchanges|returns|a money back "
        "guarantee]", "[returns|refunds] [info|information|rules|conditions]",
        "[how does|how do] [your|the] [returns|refund|exchange] [work|process work]",
        "[what are|whats] [the|your] [refund|return] "
        "[conditions|eligibility|criteria|requirements]",
        "[do|does] [my|an|this] [item|order|{item}] qualify for a [refund|return]",
        "[which|what] [items|products|orders] can [be returned|be refunded|i return|i send back]",
        "[am i|are we] eligible for a [refund|return|replacement]",
    ),
    "policy_shipping": (
        "[do you|can you|does the store|do u] [ship|deliver|send|post] [to|in] {country}",
        "[do you|is there|can i get] [international shipping|worldwide shipping|free "
        "shipping|express shipping|shipping to {country}]",
        "[how long|how many days] does [shipping|delivery|standard shipping|express shipping]"
        " [take|usually take|normally take] [to {country}|]",
        "[how long|how many days] [does it|will it] take to [ship|deliver] to {country}",
        "[what is|whats|what's|tell me] [your|the] [shipping|delivery] [policy|times|rates|"
        "cost|charges|options]", "[shipping|delivery] [policy|rates|costs|charges|times|"
        "options] [please|pls|?|]", "[how much|what] [is|does] [shipping|delivery] [cost|to "
        "{country}|]", "[is|do you have] free shipping [on orders|over 50|to {country}|]",
        "[can i|is it possible to] [order|buy] from {country}",
        "[which|what] countries do you [ship|deliver|send] to",
        "[do you|u] [deliver|ship] [internationally|worldwide|overseas|outside the us]",
        "[shipping|delivery] to {country} [how long|cost|?|]",
        "[how long|how many days] [is|does] [delivery|shipping] [usually|normally|generally|]",
    ),
    "address_change": (
        "[i want|i need|id like|i would like|can i|how do i|can you|please|help me] [change|"
        "update|edit|correct|fix|modify] [my|the] {address}",
        "[change|update|edit|correct] [my|the] {address} [please|pls|on my order|for my "
        "order|]", "[wrong|incorrect|old] {address} [on|in|for] [my|the] [order|parcel]",
        "i [entered|typed|put|gave] the wrong {address}",
        "[i moved|i have moved|we moved|i am moving] [can you|please|can i] [send|ship|"
        "deliver] [it|my order] to [my new address|a different address|another address]",
        "[deliver|ship|send|redirect|reroute] [it|my order|the parcel] to [a different|"
        "another|my new|my work|my office] address", "[can|could] you [redirect|reroute] "
        "[my|the] [parcel|package|order]", "[address|shipping address] change [request|"
        "please|]", "[i made a mistake|there is a typo|there is a mistake] in [my|the] "
        "{address}", "[need|want] [help|assistance] [changing|updating|fixing] [my|the] "
        "{address}", "[can i|how to] [add|change] [my|the] [apartment number|flat number|"
        "house number|landmark] [to the address|]",
        "[update|change] [the|my] [delivery|shipping] [details|info|information]",
        "[send|ship] it to [my|a] [friend|mom|sister|neighbour|work] instead",
    ),
    "change_order": (
        "[can i|i want to|i need to|how do i|please] [add|remove] [an item|something|a {item}"
        "|one more {item}] [to|from] my order",
        "[change|modify|edit|update] [my|the] [order|items|size|colour|quantity] [please|"
        "before it ships|]", "[can i|i want to] change the [size|colour|color|quantity] "
        "[of|on] [my|the] [{item}|order]", "[i forgot|forgot] to add [something|an item|a "
        "{item}] to [my|the] order", "[swap|replace] [an item|the {item}] in my order [for|"
        "with] [another one|a different one]",
    ),
    "damaged": (
        "[my|the] order [arrived|came] [short|incomplete] [one|an|a] [item|piece|bottle] "
        "[is|was] missing", "[there was|there is] [only one|just one|less] [item|piece|bottle|"
        "box] in the [parcel|package|box] [instead of two|not three|than i paid for]",
        "[the|this] {item} [is|looks|feels] [counterfeit|like a knock off|used|second hand]",
        "[the|my] {item} [has gone off|is spoiled|smells off|was rotten] [on arrival|when it "
        "came|already]", "[the|my] {item} [had a broken seal|came unsealed|was already "
        "opened] [is that normal|]",
        "[my|the] {item} [arrived|came|is|was] {broken}",
        "[i received|i got|received|got|they sent me|you sent me] {wrong}",
        "[i received|i got|received|got] [a|my|the] {broken} {item}",
        "[the|my] [package|parcel|box|order] [arrived|came|was] {broken}",
        "[item|product|order] [is|was|arrived] {broken}",
        "[wrong|damaged|broken|defective|faulty] [item|product|order|size|{item}] [received|"
        "delivered|sent|]", "[part of|half of|some of|one item from] my order [is|was] "
        "missing", "[an item|one item|something|a {item}] [is|was] missing from [my|the] "
        "[order|package|parcel|box]", "[this|the] [is not|isnt] what i ordered",
        "[you|they] sent [me|] [the wrong|a different|the incorrect] [item|size|colour|"
        "product|order]", "{wrong} [arrived|came|was delivered]",
        "[the|my] {item} [stopped working|doesnt work|does not work|wont turn on] [after one"
        " day|already|out of the box|]", "[got|received] [a|an] [used|fake|expired|open|"
        "opened] [item|product|{item}]", "[quality|the quality] [is|was] [bad|poor|terrible]"
        " [and|the {item} is] {broken}", "[the|my] order [was|is] [incomplete|wrong|not "
        "complete]",
        "[the|this|my] {item} [tastes|smells] [funny|sour|off|like plastic|stale|like chemicals]",
        "[i think|i believe|pretty sure] [this|the|my] {item} [is|was] [a fake|counterfeit|a "
        "knockoff|not authentic]",
        "[the|this] {item} [is|was] not [fresh|as described|as pictured|the one advertised]",
        "[the|my] [box|order|set|bundle] [had|came with|contained] [only|just] [one|two|three] "
        "{pack}[s|] [instead of|not|rather than] [two|three|four|six]",
        "[a|one] {pack} [was|is] [short|absent|left out] [from|in] the [box|set|bundle|multipack]",
    ),
    "human": (
        "[put|get|pass] me [through|over] to [an advisor|a specialist|a consultant|somebody"
        " real|a live person]", "[can|could] [an advisor|a specialist|someone from the team|"
        "a real assistant] [help me|get back to me|call me]", "[no one|nobody] [is|seems to"
        " be] [answering|replying|responding] [i want|can i get] [a person|someone|a human]",
        "[i would rather|id prefer to|i prefer to] [speak|talk|chat] [to|with] [a real "
        "assistant|an actual person|a specialist|staff]",
        "{talk} {person}", "{talk} {person} [please|pls|now|asap|]", "{person}",
        "{person} [please|pls|now]", "[can i|how do i|how can i|where can i] [contact|reach|"
        "call|email|message] [you|you guys|your team|customer service|support|the store|the"
        " shop]", "[what is|whats|give me|i need|send me|share] [your|the] {contact}",
        "{contact}", "{contact} [please|pls|?|]", "[can you|please|pls] [call|phone|ring] me"
        " [back|]", "[i need|i want|request] a [call back|callback|phone call|call]",
        "[call me|call back] [please|pls|asap|soon]", "[i dont|i do not] want to [talk|chat] to "
        "a [bot|robot|machine]", "[are there|is there] [any|] [humans|people|someone] [here|"
        "there|working]", "[let me|i want to|can i] [talk|speak|chat] [to|with] [someone|"
        "somebody] [real|from the store|in charge|]",
        "[escalate|escalate this|escalate my issue] [please|to a person|]",
        "[how do i|how to] [get in touch|get hold of you|reach customer care|reach your "
        "team|contact the seller]", "[help desk|helpdesk|customer support|"
        "support team] [contact|number|email|please|]", "customer care [team|desk|executive|"
        "please|help]", "[human|person|agent|operator|"
        "representative] [please|pls|!|]", "[bot|robot] [is useless|cant help|] [i want|"
        "get me|give me] [a human|a person|an agent]",
        "[need to|want to|i have to] speak to [someone|a person|customer care] [urgently|"
        "about my order|about a problem|]",
        "[talk|speak|chat] to [agent|human|person|executive|support]",
        "[open|raise|create|file] a [ticket|complaint|case|support ticket]",
        "[i have a|i want to make a|i want to file a] complaint",
        "[transfer|connect] [me|] [please|pls|now|to support|]",
        "[are|is] [your|the] [agents|staff|team|support] [offline|unavailable|away|closed] [right "
        "now|today|at the moment|]",
        "[when|what time] [are|will] [your|the] [agents|staff|team] [be|] [available|online|back]",
        "[anyone|somebody|someone|any staff] [around|on duty|online|free] [who can help|to help "
        "me|right now]",
        "[can|could] [anyone|somebody|a team member] [help|assist] me [please|here|]",
    ),
    "product_question": (
        "[is|are] [the|your] {item}[s|] [authentic|the real thing|legit|an original brand]",
        "[how long|until when] [does|will] [the|this] {item} [keep|stay fresh|last|stay "
        "good] [once opened|after opening|unopened|]", "[does|do] [the|this|your] {item}[s|]"
        " contain [sugar|gluten|nuts|dairy|animal products|soy]",
        "[which|what] is [better|the difference] [between|] [the small and large|the two "
        "models|this and that {item}|the basic and pro version]",
        "[how big|how heavy|how tall|how wide] is [the|this] {item}",
        "[can i get|do you do|is there] [the|this|a] {item} in a [custom|bigger|smaller|"
        "different] [size|length|colour]", "[what|which] {item} [would you suggest|is "
        "right for me|suits] [for|if] [a beginner|running|my age|my skin type]",
        "[i have a|quick] question about [a|the|this|one of your] [product|{item}] [before "
        "i buy|on your site|]", "[price|cost] [list|range|of the options|for each size]",
        "[do you|does the store|do u] [sell|have|stock|carry|make] {item}[s|]",
        "[is|are] [the|this|your] {item}[s|] [in stock|available|back in stock|out of stock]",
        "[when will|will] [the|this|your] {item} [be|come] back in stock",
        "[what|which] size [should i|do i|would you] [get|order|buy|recommend]",
        "[can you|could you] recommend [a|some|the best] {item}",
        "[what is|whats] the price of [the|this|your] {item}",
        "[how much|what does] [is|are|does] [the|this|your] {item} [cost|costs|]",
        "[is|does] [this|the] {item} [come in|available in] [blue|black|red|other colours|"
        "size m|large|xl]", "[is|are] [this|the|your] {item}[s|] [good for|suitable for|for]"
        " [women|men|kids|children|babies|beginners|sensitive skin|diabetics]",
        "[what is|whats] [the|this] {item} made of", "[is|are] [this|the] {item} [original|"
        "genuine|authentic|vegan|waterproof|organic|washable]", "[do you have|any] [discount|"
        "coupon|promo code|voucher|offer|sale|deals] [codes|]", "[what are|tell me] [the|] "
        "[ingredients|features|specs|specifications|benefits|side effects] [of|for] [this|"
        "the] {item}", "[does|will] [this|the] {item} fit [me|my phone|a 6 foot person|"
        "my size]", "[size chart|size guide|sizing] [please|for the {item}|?|]",
        "[which|what] {item} [is best|should i buy|do you recommend|is good]",
        "[i need|i want|looking for|im looking for] [a|the best|some|a good] {item}",
        "[is there|do you have] a warranty [on|for] [the|this] {item}",
        "[how do i|how to] [use|wash|clean|assemble|charge] [the|this|my] {item}",
        "[is|does] [this|the] {item} [have|come with] [a warranty|a charger|a case|batteries]",
        "[tell me|info|details] about [the|this|your] {item}[s|]",
        "[is|are] [this|the] {item} [worth it|any good|better than the other one]",
        "[can i|how do i] [buy|order|purchase] [a|the|this] {item}",
        "[what|which] [flavours|colours|sizes|models] [are available|do you have]",
        "[how long is|what is] the [shelf life|expiry] [on|of] [this|the|your] {item}",
        "[when does|when will] [the|this] {item} expire",
        "[expiry|best before|use by] [date|] [on the pack|please|of the {item}]",
        "[how big|how large|what size] is [the|this] {item} [exactly|in cm|in inches]",
        "{item} [dimensions|measurements|size in cm|weight in kg]",
        "[does|do] [the|this|your] {item}[s|] come in [other|different|more] "
        "[variants|flavours|versions|styles]",
        "[list|show me] [the|all] [variants|options|flavours] [of|for] [the|this] {item}",
        "[which|what] {item} [suits|is right for|would you suggest for] [someone|a person] [my "
        "height|my weight|my age|with dry skin]",
        "[should i|would you] [take|pick|choose] [the|this] {item} or [the|that] other one",
        "[restock|restocking] [date|soon|when] [for|of] [the|this] {item}",
        "[will you|are you going to] [restock|get more of|reorder] [the|this|that] {item}",
    ),
    "greeting": (
        "[how are you|how are you doing|how is it going|hows your day|are you there|you "
        "there|anybody there|hey hey|hello hello]",
        "{hi}", "{hi}!", "[hi|hello|hey|hii|helo|hy|heya] [team|guys|all|everyone|folks]",
        "[good afternoon|good day|morning|evening|good morning all|good evening team]",
        "[hi|hello] [anyone there|is anyone there|are you there|can you help me|i need help|"
        "i have a question]", "[hola|bonjour|namaste|hallo|ciao|salut]",
        "[yo|sup|howdy|greetings|hiya]", "[hi|hello|hey] [how are you|whats up|how r u]",
        "[hey buddy|hello friend|hi friend|good day to you|hey bot|hello bot]",
        "[hey|oi|hello] [are you awake|anyone home|is this thing on]",
        "[hope|i hope] [you are|youre|all is] [well|good|doing fine] [today|]",
        "[how are|hows] things [with you|today|]",
        "[how do you feel|how are you feeling|you doing alright|you good] [today|]",
    ),
    "thanks": (
        "[you are the best thanks|you rock|much obliged|that helps|that helped|brilliant help|"
        "super helpful]", "[see you later|later|bye bye|take care|have a nice day|have a good"
        " one|good night|until next time]", "[i got|got] [my|the] [parcel|order|package] "
        "[thank you|thanks|cheers]",
        "[thanks|thanks a lot|thank you so much|many thanks|thx|cheers|"
        "much appreciated|appreciate it|thanks for the help|ok thanks]",
        "[thanks|thank you] [so much|a lot|for your help|very much]",
        "[bye|see you|ok bye|thats all|that is all thanks]",
        "[great|perfect|awesome|brilliant|lovely|cool|nice] [thank you so much|thanks again|]",
        "[you have been|you were|that was] [very|really|so|] helpful",
        "[much|really] [grateful|thankful] [to you|for this|]",
        "[i|we] [owe you one|cant thank you enough]",
        "[i|we] [really|truly] appreciate [it|this|your time]",
        "[cheers|thanks] for the [chat|conversation|quick chat]",
        "[see you|speak] [soon|later] [then|]",
    ),
    "affirm": (
        "[yes|yeah|yep|yup|sure|ok|okay|y|yes please|please do|do it|go ahead|sounds good|of"
        " course|absolutely|definitely|correct|right|exactly|that is right|yes that is it]",
    ),
    "deny": (
        "[no|nope|nah|no thanks|no thank you|not now|never mind|nevermind|no need|not really|"
        "i am good|all good|no its fine|dont|no dont]",
    ),
    "capabilities": (
        "[what can you do|what do you do|how does this work|who are you|what are you|how can "
        "you help|what can i ask you|what is this|what is this chat]",
        "[are you|r u|is this] [a bot|a robot|an ai|real|a human|a person|a machine|automated]",
        "[help|menu|options|help me|i need help|can you help me]",
    ),
    "frustration": (
        "[this is|its|that is|what] {frustrated}", "[worst|terrible|awful|horrible] [service|"
        "experience|shop|company|store] [ever|]", "[i am|im] [so|very|really|] [angry|"
        "furious|frustrated|annoyed|upset|disappointed|fed up]",
        "[you guys|your company|this store] [are|is] {frustrated}", "[wtf|ffs|omg|seriously]"
        " [this is|] [ridiculous|a joke|unbelievable|]", "[never|i will never] [ordering|order"
        "|buy|buying] from you again", "[stop wasting my time|you are wasting my time|such a "
        "such a waste of time|useless bot]",
    ),
    "another_order": (
        "[i have|what about|and|also|i also have] [another|my other|a second|a different] "
        "order", "[check|track|look up] [another|my other|a second|a different] order",
        "[i placed|i made|i have] [two|multiple|several|more than one] orders",
    ),
    "provide_details": (
        "[1042|#1042|order 1042|order #1042|order number 1042|its 1042|it is #1042|my order "
        "number is 1042|order no 1042|no. 1042|1042 is the order number|here 1042]",
        "[maya@example.com|my email is maya@example.com|email: maya@example.com|its "
        "maya@example.com]", "[#1042 maya@example.com|order 1042 email maya@example.com|1042"
        " and my email is maya@example.com]",
    ),
    "unknown": (
        "[what is the weather|whats the weather like|will it rain tomorrow|tell me a joke|sing"
        " a song|what time is it|who won the game|how old are you|what is the meaning of life"
        "|do you like pizza|whats 2 plus 2|who is the president|play some music|set an "
        "alarm|book a flight|find me a restaurant|translate this|whats my credit score|"
        "how is my bank balance|are you hiring|i want a job|can i work for you|how to become"
        " a seller|i want to sell on your site|do you have an app|my app keeps crashing]",
        "[i cant|i can not|unable to] [log in|login|sign in|reset my password|open my account|"
        "create an account|verify my phone]", "[delete|close|deactivate] my account",
        "[change|update] my [password|username|profile picture|phone number on my account]",
        "[unsubscribe|stop sending emails|stop the newsletter|remove me from your mailing "
        "list]", "[asdf|qwerty|lol|hmm|ok so|test|testing|123|...|??|blah blah|xyz]",
        "[banana|purple monkey dishwasher|the cat sat on the mat|my dog is cute|i like "
        "turtles|random text here]", "[how do i|can i] [earn|get|use|redeem] [reward points"
        "|loyalty points|store credit|cashback]", "[what is|whats] [your|the] [privacy "
        "policy|terms of service|cookie policy]", "[where|what] is your [office|head office|"
        "company] [located|based|]", "[are you|is this] [open|available] [on sunday|24/7|"
        "today|on holidays]",
    ),
}

# Said before or after a request in real chats; added to some examples.
OPENERS = ("hi ", "hello ", "hey ", "hi team, ", "good morning ", "excuse me ", "sir ",
           "dear sir, ", "hello, ", "pls ", "ok ", "so ", "um ", "yes ", "hi, quick question: ",
           "sorry to bother you but ")
CLOSERS = ("?", "??", "!", " please", " pls", " asap", " thanks", " thank you", " now",
           " urgently", " sir", " :(", "...", " plz help", " thx", " kindly help")
