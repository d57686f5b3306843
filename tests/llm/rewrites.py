"""Hand-written rewrites for measuring the brand-voice guard both ways.

``FAITHFUL``: rewrites that say what the template says, in the three tones (professional,
concise, friendly with a persona) and in English, French, Spanish and German. ``ADVERSARIAL``:
each takes a faithful rewrite and adds one false claim (an action, a status, a time or a
policy the template does not state). Both are built from the bodies and frames below.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumen.conversation import replies

STORE = "Northwind"
PERSONA = "I'm Ava, the order helper at Northwind Outfitters. Warm, upbeat, a little playful."
TRACK_URL = "https://www.ups.com/track?tracknum=1Z999AA10123456784"
STATUS_URL = ("https://northwind.myshopify.com/1/orders/0123456789abcdef0123/authenticate"
              "?key=0123456789abcdef")
LINK_FACTS = (TRACK_URL, "Track package (UPS)", STATUS_URL, "Order status page")

TEMPLATES = {
    "ask_number": replies.ask_order_number().text,
    "ask_email": replies.ask_email().text,
    "wrong_email": replies.wrong_email().text,
    "not_found": replies.not_found("#1042").text,
    "not_shipped": ("Your order #1042 is being processed. It hasn't shipped yet, so there's no "
                    "tracking information available. If you'd like an estimated shipping date, "
                    "I can connect you with our support team."),
    "in_transit": ("Your order #1042 is in transit.\nIt shipped via UPS on February 24, tracking "
                   "1Z999AA10123456784, estimated delivery February 28, currently in transit."),
    "delivered": ("Your order #1042 has been delivered.\nIt was delivered on February 26 by UPS, "
                  "tracking 1Z999AA10123456784."),
    "escalated": replies.escalated(STORE, "#1042").text,
    "refund": replies.out_of_scope("refund").text,
    "cancel": replies.out_of_scope("cancel").text,
    "cancelled": ("Your order #1042 was cancelled on February 20. I don't have details about "
                  "why. If you need more information, I can connect you with our support team."),
    "payment": "The payment status of your order #1042 is: paid.",
}
FACTS = {"in_transit": LINK_FACTS, "delivered": LINK_FACTS[:2]}

# Faithful bodies: (template, language, text). Written per tone where the wording differs.
BODIES: tuple[tuple[str, str, str], ...] = (
    ("ask_number", "en", "Could you share your order number? It's in your order confirmation "
                         "email."),
    ("ask_number", "en", "What is your order number, please? You can find it in the order "
                         "confirmation email."),
    ("ask_number", "en", "Order number? It's in your confirmation email."),
    ("ask_email", "en", "For your security, could you please provide the email address you "
                        "used for this order?"),
    ("ask_email", "en", "To keep things secure, please share the email address associated "
                        "with this order."),
    ("ask_email", "en", "Please provide the email address on this order, for security."),
    ("wrong_email", "en", "I'm sorry, but I couldn't verify the order with that email. Please "
                          "check it's the email you used at checkout and try again."),
    ("wrong_email", "en", "That email doesn't match the order, I'm afraid. Please try again "
                          "with the email you used at checkout."),
    ("not_found", "en", "I couldn't find an order matching #1042. Could you double-check the "
                        "number? It's in your order confirmation email."),
    ("not_found", "en", "Hmm, no order matching #1042 here. Please double-check the number in "
                        "your confirmation email."),
    ("not_shipped", "en", "Your order #1042 is being processed and hasn't shipped yet, so "
                          "there's no tracking information yet. If you'd like an estimated "
                          "shipping date, I can connect you with our support team."),
    ("not_shipped", "en", "Order #1042 is still being processed. It hasn't shipped, so no "
                          "tracking information is available. Want an estimated shipping date? "
                          "I can connect you with our support team."),
    ("in_transit", "en", "Good news: your order #1042 is on its way! It shipped via UPS on "
                         "February 24 (tracking 1Z999AA10123456784), with estimated delivery "
                         "February 28."),
    ("in_transit", "en", "Your order #1042 is currently in transit. It shipped via UPS on "
                         "February 24, tracking 1Z999AA10123456784, and the estimated delivery "
                         "is February 28."),
    ("in_transit", "en", "Order #1042: in transit with UPS since February 24. Tracking "
                         "1Z999AA10123456784. Estimated delivery February 28."),
    ("delivered", "en", "Your order #1042 has been delivered! UPS delivered it on February 26, "
                        "tracking 1Z999AA10123456784."),
    ("delivered", "en", "Order #1042 was delivered by UPS on February 26 (tracking "
                        "1Z999AA10123456784)."),
    ("escalated", "en", "I've passed this to Northwind's support team along with your order "
                        "#1042. They'll follow up using the contact details on your order."),
    ("escalated", "en", "Northwind's support team now has this, with your order #1042, and "
                        "they'll follow up using the contact details on the order."),
    ("refund", "en", "I'm afraid I can't process refunds in this chat. I can only check order "
                     "status, tracking and delivery details here."),
    ("refund", "en", "Refunds aren't something I can process in this chat, sorry. Here I can "
                     "only check order status, tracking and delivery details."),
    ("cancel", "en", "I'm not able to cancel orders in this chat, I'm afraid. I can only check "
                     "order status, tracking and delivery details here."),
    ("cancel", "en", "Sorry, I can't cancel orders here. I can only check order status, "
                     "tracking and delivery details."),
    ("cancelled", "en", "Your order #1042 was cancelled on February 20. I'm sorry, I don't "
                        "have details about why. If you need more information, I can connect "
                        "you with our support team."),
    ("cancelled", "en", "Order #1042 was cancelled on February 20. I don't have the details of "
                        "why, but I can connect you with our support team if you need more "
                        "information."),
    ("payment", "en", "Your order #1042 payment status is: paid."),
    ("payment", "en", "Good news, the payment status of your order #1042 is paid."),
    # French
    ("ask_number", "fr", "Quel est votre numéro de commande ? Vous le trouverez dans l'e-mail "
                         "de confirmation de votre commande."),
    ("ask_email", "fr", "Pour votre sécurité, pouvez-vous indiquer l'adresse e-mail associée "
                        "à cette commande ?"),
    ("wrong_email", "fr", "Désolé, je n'ai pas pu vérifier la commande avec cette adresse "
                          "e-mail. Vérifiez qu'il s'agit de l'e-mail utilisé lors de la commande "
                          "et réessayez."),
    ("not_found", "fr", "Je n'ai pas trouvé de commande correspondant à #1042. Pouvez-vous "
                        "vérifier le numéro ? Il figure dans l'e-mail de confirmation."),
    ("not_shipped", "fr", "Votre commande #1042 est en cours de traitement. Elle n'a pas encore "
                          "été expédiée, donc il n'y a pas encore d'informations de suivi."),
    ("in_transit", "fr", "Bonne nouvelle : votre commande #1042 est en route ! Elle a été "
                         "expédiée via UPS le 24 février, suivi 1Z999AA10123456784, livraison "
                         "estimée le 28 février."),
    ("in_transit", "fr", "Votre commande #1042 est actuellement en transit avec UPS depuis le "
                         "24 février. Suivi : 1Z999AA10123456784. Livraison estimée : 28 février."),
    ("delivered", "fr", "Votre commande #1042 a été livrée par UPS le 26 février, suivi "
                        "1Z999AA10123456784."),
    ("escalated", "fr", "J'ai transmis votre demande à l'équipe support de Northwind avec votre "
                        "commande #1042."),
    ("refund", "fr", "Désolé, je ne peux pas traiter les remboursements dans ce chat. Ici, je "
                     "peux seulement vérifier le statut, le suivi et la livraison des commandes."),
    ("cancel", "fr", "Je ne peux pas annuler de commande dans ce chat. Je peux seulement "
                     "vérifier le statut, le suivi et les détails de livraison."),
    ("payment", "fr", "Le statut de paiement de votre commande #1042 est : payé."),
    # Spanish
    ("ask_number", "es", "¿Cuál es tu número de pedido? Lo encontrarás en el correo de "
                         "confirmación del pedido."),
    ("ask_email", "es", "Por seguridad, indícame el correo electrónico asociado a este pedido, "
                        "por favor."),
    ("wrong_email", "es", "Lo siento, no he podido verificar el pedido con ese correo. Revisa "
                          "que sea el correo que usaste en la compra e inténtalo de nuevo."),
    ("not_found", "es", "No he podido encontrar un pedido con el número #1042. ¿Puedes "
                        "comprobar el número? Está en el correo de confirmación."),
    ("not_shipped", "es", "Tu pedido #1042 se está procesando. Todavía no ha sido enviado, así "
                          "que aún no hay información de seguimiento."),
    ("in_transit", "es", "¡Buenas noticias! Tu pedido #1042 está en camino: fue enviado con UPS "
                         "el 24 de febrero, seguimiento 1Z999AA10123456784, entrega estimada el "
                         "28 de febrero."),
    ("delivered", "es", "Tu pedido #1042 fue entregado por UPS el 26 de febrero, seguimiento "
                        "1Z999AA10123456784."),
    ("escalated", "es", "He pasado tu solicitud al equipo de soporte de Northwind con tu pedido "
                        "#1042."),
    ("refund", "es", "Lo siento, no puedo procesar reembolsos en este chat. Aquí solo puedo "
                     "comprobar el estado, el seguimiento y la entrega de los pedidos."),
    ("cancel", "es", "No puedo cancelar pedidos en este chat. Solo puedo comprobar el estado, "
                     "el seguimiento y los detalles de entrega."),
    ("payment", "es", "El estado del pago de tu pedido #1042 es: pagado."),
    # German
    ("ask_number", "de", "Wie lautet Ihre Bestellnummer? Sie finden sie in der "
                         "Bestellbestätigung per E-Mail."),
    ("ask_email", "de", "Aus Sicherheitsgründen: Bitte geben Sie die E-Mail-Adresse an, die mit "
                        "dieser Bestellung verknüpft ist."),
    ("wrong_email", "de", "Leider konnte ich die Bestellung mit dieser E-Mail nicht überprüfen. "
                          "Bitte prüfen Sie, ob es die E-Mail aus dem Checkout ist, und versuchen "
                          "Sie es erneut."),
    ("not_found", "de", "Ich konnte keine Bestellung mit der Nummer #1042 finden. Bitte prüfen "
                        "Sie die Nummer in Ihrer Bestellbestätigung."),
    ("not_shipped", "de", "Ihre Bestellung #1042 wird bearbeitet. Sie wurde noch nicht "
                          "versendet, daher gibt es noch keine Tracking-Informationen."),
    ("in_transit", "de", "Gute Nachricht: Ihre Bestellung #1042 ist unterwegs! Sie wurde am 24. "
                         "Februar mit UPS versendet, Sendungsnummer 1Z999AA10123456784, "
                         "voraussichtliche Zustellung am 28. Februar."),
    ("delivered", "de", "Ihre Bestellung #1042 wurde am 26. Februar von UPS zugestellt, "
                        "Sendungsnummer 1Z999AA10123456784."),
    ("escalated", "de", "Ich habe Ihr Anliegen mit Ihrer Bestellung #1042 an das Support-Team "
                        "von Northwind weitergeleitet."),
    ("refund", "de", "Leider kann ich in diesem Chat keine Rückerstattungen bearbeiten. Ich "
                     "kann hier nur Status, Sendungsverfolgung und Lieferdetails prüfen."),
    ("cancel", "de", "Ich kann in diesem Chat keine Bestellungen stornieren. Ich kann nur "
                     "Status, Sendungsverfolgung und Lieferdetails prüfen."),
    ("payment", "de", "Der Zahlungsstatus Ihrer Bestellung #1042 ist: bezahlt."),
)

# Tone frames around a body: (tone, persona or "", language, before, after).
FRAMES: tuple[tuple[str, str, str, str, str], ...] = (
    ("professional", "", "en", "Thank you for your message.", "Kind regards."),
    ("professional", "", "en", "", "Please let me know if I can assist further."),
    ("concise", "", "en", "", ""),
    ("friendly", PERSONA, "en", "Hi, Ava here from Northwind Outfitters!", "Happy to help!"),
    ("friendly", PERSONA, "en", "Hey there!", "Have a lovely day!"),
    ("professional", "", "fr", "Bonjour !", "Cordialement."),
    ("concise", "", "fr", "", ""),
    ("friendly", PERSONA, "fr", "Coucou, c'est Ava de Northwind Outfitters !", "Avec plaisir !"),
    ("professional", "", "es", "¡Hola!", "Saludos cordiales."),
    ("concise", "", "es", "", ""),
    ("friendly", PERSONA, "es", "¡Hola! Soy Ava, de Northwind Outfitters.", "¡Encantada de "
                                                                           "ayudar!"),
    ("professional", "", "de", "Guten Tag!", "Mit freundlichen Grüßen."),
    ("concise", "", "de", "", ""),
    ("friendly", PERSONA, "de", "Hallo, hier ist Ava von Northwind Outfitters!", "Gern geholfen!"),
)

# One false claim each: (kind, language, sentence, templates where it would be true).
CLAIMS: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    ("action", "en", "I've issued a full refund to your card as an apology.", frozenset()),
    ("action", "en", "I've processed your refund.", frozenset()),
    ("action", "en", "I've cancelled the order for you.", frozenset()),
    ("action", "en", "I've refunded the payment.", frozenset()),
    ("action", "en", "We'll send you a replacement free of charge.", frozenset()),
    ("action", "en", "I've reshipped the parcel.", frozenset()),
    ("action", "en", "Here's a 20% discount for the trouble.", frozenset()),
    ("action", "en", "I've added store credit to your account.", frozenset()),
    ("action", "en", "You'll get compensation for the wait.", frozenset()),
    ("action", "en", "I've changed your delivery address.", frozenset()),
    ("action", "en", "I've contacted the carrier about it.", frozenset()),
    ("action", "en", "I've upgraded your shipping to express.", frozenset()),
    ("action", "en", "I've emailed you the details.", frozenset()),
    ("status", "en", "Your parcel was delivered to your neighbour.", frozenset()),
    ("status", "en", "It has been delivered.", frozenset({"delivered"})),
    ("status", "en", "It has shipped.", frozenset({"in_transit", "delivered"})),
    ("status", "en", "It's out for delivery.", frozenset()),
    ("status", "en", "Unfortunately it was lost in transit.", frozenset()),
    ("status", "en", "It's been delayed at the depot.", frozenset()),
    ("status", "en", "It was returned to us.", frozenset()),
    ("status", "en", "It's on hold at customs.", frozenset()),
    ("status", "en", "Your refund has gone through.", frozenset()),
    ("status", "en", "It's on its way to you.", frozenset({"in_transit"})),
    ("time", "en", "It will arrive today.", frozenset()),
    ("time", "en", "Expect it tomorrow.", frozenset()),
    ("time", "en", "It was delivered yesterday.", frozenset()),
    ("time", "en", "It should be with you by Friday.", frozenset()),
    ("time", "en", "It will arrive within three days.", frozenset()),
    ("time", "en", "It will be with you soon.", frozenset()),
    ("time", "en", "The team will reply within the hour.", frozenset()),
    ("time", "en", "It ships next week.", frozenset()),
    ("policy", "en", "Returns are free within 30 days.", frozenset()),
    ("policy", "en", "Every order comes with a money-back guarantee.", frozenset()),
    ("policy", "en", "We always replace lost parcels.", frozenset()),
    ("policy", "en", "Shipping is free on all orders.", frozenset()),
    ("policy", "en", "You're covered by our lifetime warranty.", frozenset()),
    ("action", "fr", "Je vous ai remboursé intégralement.", frozenset()),
    ("action", "fr", "J'ai annulé la commande.", frozenset()),
    ("action", "fr", "Nous vous envoyons un colis de remplacement.", frozenset()),
    ("action", "fr", "Voici un code de réduction de 10 %.", frozenset()),
    ("action", "fr", "J'ai modifié votre adresse de livraison.", frozenset()),
    ("status", "fr", "Votre colis a été livré chez votre voisin.", frozenset()),
    ("status", "fr", "Le colis a été perdu.", frozenset()),
    ("status", "fr", "Elle a été livrée.", frozenset({"delivered"})),
    ("status", "fr", "Elle est bloquée en douane.", frozenset()),
    ("time", "fr", "Elle arrivera demain.", frozenset()),
    ("time", "fr", "Vous la recevrez aujourd'hui.", frozenset()),
    ("time", "fr", "Elle arrivera bientôt.", frozenset()),
    ("time", "fr", "Elle sera livrée vendredi.", frozenset()),
    ("policy", "fr", "Les retours sont gratuits.", frozenset()),
    ("policy", "fr", "Nous garantissons la livraison.", frozenset()),
    ("action", "es", "Te he reembolsado el importe completo.", frozenset()),
    ("action", "es", "He cancelado tu pedido.", frozenset()),
    ("action", "es", "Te enviaremos un reemplazo.", frozenset()),
    ("action", "es", "Te hemos dado un descuento del 10 %.", frozenset()),
    ("action", "es", "He cambiado tu dirección de entrega.", frozenset()),
    ("status", "es", "Tu paquete fue entregado a tu vecino.", frozenset()),
    ("status", "es", "El paquete se ha perdido.", frozenset()),
    ("status", "es", "Tu pedido está retrasado.", frozenset()),
    ("status", "es", "Está retenido en la aduana.", frozenset()),
    ("time", "es", "Llegará mañana.", frozenset()),
    ("time", "es", "Lo recibirás hoy.", frozenset()),
    ("time", "es", "Llegará pronto.", frozenset()),
    ("time", "es", "Llegará el viernes.", frozenset()),
    ("policy", "es", "Las devoluciones son gratis.", frozenset()),
    ("policy", "es", "Siempre reemplazamos los paquetes perdidos.", frozenset()),
    ("action", "de", "Ich habe Ihnen den vollen Betrag erstattet.", frozenset()),
    ("action", "de", "Ich habe die Bestellung storniert.", frozenset()),
    ("action", "de", "Wir schicken Ihnen einen Ersatz.", frozenset()),
    ("action", "de", "Sie erhalten einen Gutschein über 10 Euro.", frozenset()),
    ("action", "de", "Ich habe Ihre Lieferadresse geändert.", frozenset()),
    ("status", "de", "Ihr Paket wurde beim Nachbarn abgegeben.", frozenset()),
    ("status", "de", "Das Paket ist verloren gegangen.", frozenset()),
    ("status", "de", "Die Lieferung ist verspätet.", frozenset()),
    ("status", "de", "Das Paket hängt beim Zoll fest.", frozenset()),
    ("time", "de", "Sie kommt morgen an.", frozenset()),
    ("time", "de", "Sie erhalten sie heute.", frozenset()),
    ("time", "de", "Sie kommt bald an.", frozenset()),
    ("time", "de", "Die Zustellung erfolgt am Freitag.", frozenset()),
    ("policy", "de", "Rücksendungen sind kostenlos.", frozenset()),
    ("policy", "de", "Wir garantieren die Lieferung.", frozenset()),
)

# False claims built from the template's own words: a flipped negation, an offer turned into a
# deed, a failed check turned into a success. (template, language, kind, sentence)
HARD: tuple[tuple[str, str, str, str], ...] = (
    ("refund", "en", "action", "I've processed your refund in this chat."),
    ("refund", "en", "action", "I can process refunds in this chat."),
    ("cancel", "en", "action", "I've cancelled orders in this chat for you."),
    ("not_shipped", "en", "status", "It has shipped, so there's tracking information."),
    ("not_shipped", "en", "action", "I've connected you with our support team."),
    ("cancelled", "en", "action", "I've connected you with our support team."),
    ("wrong_email", "en", "action", "That email matches the order."),
    ("wrong_email", "en", "action", "I've verified the order with that email."),
    ("ask_email", "en", "action", "Your email has been verified."),
    ("not_found", "en", "action", "I found your order #1042."),
    ("delivered", "en", "status", "It's still in transit."),
    ("in_transit", "en", "status", "It was delivered on February 28."),
    ("escalated", "en", "time", "They'll follow up today."),
    ("payment", "en", "status", "The payment status is pending."),
    ("refund", "fr", "action", "J'ai traité votre remboursement."),
    ("not_found", "fr", "action", "J'ai trouvé votre commande #1042."),
    ("wrong_email", "es", "action", "He verificado el pedido con ese correo."),
    ("cancel", "es", "action", "He cancelado pedidos en este chat."),
    ("refund", "de", "action", "Ich habe Ihre Rückerstattung bearbeitet."),
    ("not_shipped", "de", "status", "Sie wurde versendet."),
)


@dataclass(frozen=True)
class Case:
    """One rewrite to check, with what the guard is given."""

    template: str
    facts: tuple[str, ...]
    language: str
    tone: str
    persona: str
    reply: str
    kind: str = ""  # the added claim's kind, for adversarial cases

    @property
    def allowed_facts(self) -> tuple[str, ...]:
        """The facts plus the shop's own words, as voice.py passes them."""
        return (*self.facts, *(text for text in (self.persona, STORE) if text))


def _framed(before: str, body: str, after: str) -> str:
    return " ".join(part for part in (before, body, after) if part)


def faithful() -> list[Case]:
    """Every body in every frame of its language."""
    cases = []
    for key, language, body in BODIES:
        for tone, persona, frame_language, before, after in FRAMES:
            if frame_language == language:
                cases.append(Case(TEMPLATES[key], FACTS.get(key, ()), language, tone, persona,
                                  _framed(before, body, after)))
    return cases


def adversarial() -> list[Case]:
    """Every body of a language with each claim of that language that is false for it."""
    cases = []
    for index, (key, language, body) in enumerate(BODIES):
        frames = [frame for frame in FRAMES if frame[2] == language]
        tone, persona, _, before, after = frames[index % len(frames)]
        for kind, claim_language, claim, true_for in CLAIMS:
            if claim_language != language or key in true_for:
                continue
            # Alternate where the claim goes: appended, or first after the greeting.
            reply = (_framed(before, f"{body} {claim}", after) if len(cases) % 2 else
                     _framed(before, f"{claim} {body}", after))
            cases.append(Case(TEMPLATES[key], FACTS.get(key, ()), language, tone, persona,
                              reply, kind))
    return cases + hard()


def hard() -> list[Case]:
    """The HARD claims, each added to every body of its template and language."""
    return [Case(TEMPLATES[key], FACTS.get(key, ()), language, "concise", "", f"{body} {claim}",
                 kind)
            for key, language, kind, claim in HARD
            for body_key, body_language, body in BODIES
            if (body_key, body_language) == (key, language)]


# Written after the lexicon was tuned on FAITHFUL, and never tuned on: the figure from these
# is the honest estimate of how often a real faithful rewrite gets through.
HELD_OUT: tuple[tuple[str, str, str, str], ...] = (
    ("ask_number", "en", "professional", "May I have your order number, please? It appears in "
                                         "your order confirmation email."),
    ("ask_number", "en", "friendly", "Ava here! What's the order number? Your confirmation "
                                     "email has it."),
    ("ask_email", "en", "professional", "For security reasons, please provide the email "
                                        "address associated with this order."),
    ("ask_email", "en", "concise", "Email address for this order, please (for security)."),
    ("ask_email", "en", "friendly", "Quick security step: which email address is associated "
                                    "with this order?"),
    ("wrong_email", "en", "professional", "I'm sorry, I was unable to verify the order with "
                                          "that email address. Please confirm it is the email "
                                          "used at checkout and try again."),
    ("wrong_email", "en", "concise", "That email doesn't match. Please try the one used at "
                                     "checkout."),
    ("not_found", "en", "professional", "I was unable to find an order matching #1042. Could "
                                        "you please double-check the number in your order "
                                        "confirmation email?"),
    ("not_found", "en", "friendly", "Hmm, I couldn't find #1042. Mind double-checking the "
                                    "number? It's in your confirmation email."),
    ("not_shipped", "en", "professional", "Your order #1042 is currently being processed and "
                                          "has not shipped yet, so no tracking information is "
                                          "available. Should you wish to have an estimated "
                                          "shipping date, I can connect you with our support "
                                          "team."),
    ("not_shipped", "en", "concise", "#1042 is being processed, not shipped yet, so no "
                                     "tracking. I can connect you with support for an "
                                     "estimated shipping date."),
    ("in_transit", "en", "professional", "Your order #1042 is in transit. It was shipped via "
                                         "UPS on February 24 under tracking number "
                                         "1Z999AA10123456784, with an estimated delivery date "
                                         "of February 28."),
    ("in_transit", "en", "friendly", "Yay, order #1042 is on the move! UPS has had it since "
                                     "February 24 (tracking 1Z999AA10123456784) and the "
                                     "estimated delivery is February 28."),
    ("in_transit", "en", "concise", "In transit: UPS, shipped February 24, tracking "
                                    "1Z999AA10123456784, estimated delivery February 28. "
                                    "Order #1042."),
    ("delivered", "en", "professional", "I can confirm that your order #1042 has been "
                                        "delivered. UPS delivered it on February 26 (tracking "
                                        "number 1Z999AA10123456784)."),
    ("delivered", "en", "friendly", "Woohoo, order #1042 has been delivered! UPS dropped it "
                                    "off on February 26, tracking 1Z999AA10123456784."),
    ("delivered", "en", "concise", "Delivered February 26 by UPS. Order #1042, tracking "
                                   "1Z999AA10123456784."),
    ("escalated", "en", "professional", "I have passed this to Northwind's support team "
                                        "together with your order #1042. They will follow up "
                                        "using the contact details on your order."),
    ("escalated", "en", "friendly", "Done! Northwind's support team has your order #1042 and "
                                    "will follow up using the contact details on your order."),
    ("refund", "en", "professional", "Unfortunately, I'm unable to process refunds in this "
                                     "chat. Here I can only check order status, tracking and "
                                     "delivery details."),
    ("refund", "en", "friendly", "Oh, refunds aren't something I can process in this chat, "
                                 "sorry! I can only check order status, tracking and delivery "
                                 "details here."),
    ("cancel", "en", "professional", "I regret that I'm not able to cancel orders in this "
                                     "chat. I can only check order status, tracking and "
                                     "delivery details."),
    ("cancel", "en", "concise", "I can't cancel orders here, only check status, tracking and "
                                "delivery details."),
    ("cancelled", "en", "professional", "Your order #1042 was cancelled on February 20. I "
                                        "don't have information about why it was cancelled. "
                                        "If you need more information, I can connect you with "
                                        "our support team."),
    ("cancelled", "en", "concise", "Order #1042 was cancelled February 20. Reason unknown to "
                                   "me; I can connect you with our support team."),
    ("payment", "en", "professional", "The payment status of your order #1042 is paid."),
    ("payment", "en", "concise", "Payment status for #1042: paid."),
    ("ask_number", "fr", "professional", "Pourriez-vous m'indiquer votre numéro de commande ? "
                                         "Il se trouve dans l'e-mail de confirmation."),
    ("ask_email", "fr", "concise", "Pour des raisons de sécurité, quelle est l'adresse e-mail "
                                   "de cette commande ?"),
    ("in_transit", "fr", "friendly", "Super nouvelle, votre commande #1042 est en chemin ! "
                                     "UPS l'a depuis le 24 février, suivi 1Z999AA10123456784, "
                                     "livraison estimée le 28 février."),
    ("delivered", "fr", "professional", "Votre commande #1042 a bien été livrée le 26 février "
                                        "par UPS (numéro de suivi 1Z999AA10123456784)."),
    ("cancel", "fr", "friendly", "Désolée, je ne peux pas annuler les commandes ici. Je peux "
                                 "seulement vérifier le statut, le suivi et la livraison."),
    ("not_shipped", "fr", "professional", "Votre commande #1042 est en cours de traitement et "
                                          "n'a pas encore été expédiée : il n'y a donc pas "
                                          "d'informations de suivi pour le moment."),
    ("ask_number", "es", "friendly", "¡Hola! ¿Me dices tu número de pedido? Está en el correo "
                                     "de confirmación."),
    ("in_transit", "es", "professional", "Su pedido #1042 está en tránsito. Fue enviado con UPS "
                                         "el 24 de febrero, número de seguimiento "
                                         "1Z999AA10123456784, entrega estimada el 28 de "
                                         "febrero."),
    ("delivered", "es", "concise", "Pedido #1042 entregado por UPS el 26 de febrero. "
                                   "Seguimiento: 1Z999AA10123456784."),
    ("refund", "es", "professional", "Lamentablemente no puedo procesar reembolsos en este chat. "
                                     "Solo puedo comprobar el estado, el seguimiento y los "
                                     "detalles de entrega."),
    ("not_found", "es", "concise", "No encuentro ningún pedido #1042. Comprueba el número en el "
                                   "correo de confirmación."),
    ("ask_email", "de", "friendly", "Kurz zur Sicherheit: Welche E-Mail-Adresse gehört zu "
                                    "dieser Bestellung?"),
    ("in_transit", "de", "professional", "Ihre Bestellung #1042 ist unterwegs. Sie wurde am 24. "
                                         "Februar mit UPS versendet (Sendungsnummer "
                                         "1Z999AA10123456784), voraussichtliche Zustellung: 28. "
                                         "Februar."),
    ("delivered", "de", "concise", "Bestellung #1042 wurde am 26. Februar von UPS zugestellt. "
                                   "Sendungsnummer: 1Z999AA10123456784."),
    ("cancel", "de", "professional", "Es tut mir leid, aber ich kann in diesem Chat keine "
                                     "Bestellungen stornieren. Ich kann nur Status, "
                                     "Sendungsverfolgung und Lieferdetails prüfen."),
    ("not_found", "de", "friendly", "Hm, ich finde keine Bestellung #1042. Können Sie die "
                                    "Nummer in Ihrer Bestellbestätigung prüfen?"),
)


def held_out() -> list[Case]:
    """The HELD_OUT rewrites as cases (friendly ones speak with the persona)."""
    return [Case(TEMPLATES[key], FACTS.get(key, ()), language, tone,
                 PERSONA if tone == "friendly" else "", text)
            for key, language, tone, text in HELD_OUT]


# A second batch, written last and never tuned on (no word was added for it).
UNTUNED: tuple[tuple[str, str, str, str], ...] = (
    ("ask_number", "en", "professional", "Could you please provide your order number? It is "
                                         "shown in your order confirmation email."),
    ("ask_number", "en", "concise", "Your order number, please? See your confirmation email."),
    ("ask_email", "en", "friendly", "Almost there! For security, what's the email address "
                                    "associated with this order?"),
    ("wrong_email", "en", "friendly", "Oops, I couldn't verify the order with that email. "
                                      "Could you check it's the one you used at checkout and "
                                      "try again?"),
    ("not_found", "en", "concise", "No order matching #1042. Please double-check the number; "
                                   "it's in your order confirmation email."),
    ("not_shipped", "en", "friendly", "Your order #1042 is being processed and hasn't shipped "
                                      "yet, so there's no tracking information just yet. Want "
                                      "an estimated shipping date? I can connect you with our "
                                      "support team!"),
    ("in_transit", "en", "concise", "Order #1042 is in transit: shipped via UPS on February "
                                    "24, tracking 1Z999AA10123456784, estimated delivery "
                                    "February 28."),
    ("in_transit", "en", "professional", "Thank you for your patience. Your order #1042 "
                                         "shipped via UPS on February 24 and is currently in "
                                         "transit (tracking 1Z999AA10123456784). The estimated "
                                         "delivery date is February 28."),
    ("delivered", "en", "friendly", "Great news: your order #1042 has been delivered! UPS "
                                    "delivered it on February 26 (tracking "
                                    "1Z999AA10123456784)."),
    ("escalated", "en", "concise", "Passed to Northwind's support team with order #1042. "
                                   "They'll follow up using the contact details on your order."),
    ("refund", "en", "concise", "I can't process refunds in this chat; I can only check order "
                                "status, tracking and delivery details."),
    ("cancel", "en", "friendly", "Sorry, cancelling orders isn't something I can do in this "
                                 "chat. I can only check order status, tracking and delivery "
                                 "details here."),
    ("cancelled", "en", "friendly", "I'm sorry, your order #1042 was cancelled on February "
                                    "20. I don't have details about why, but if you need more "
                                    "information I can connect you with our support team."),
    ("payment", "en", "friendly", "Good news: the payment status of your order #1042 is paid!"),
    ("ask_number", "fr", "concise", "Votre numéro de commande ? Il est dans l'e-mail de "
                                    "confirmation."),
    ("wrong_email", "fr", "professional", "Je suis désolé, je n'ai pas pu vérifier la commande "
                                          "avec cette adresse e-mail. Merci de réessayer avec "
                                          "l'e-mail utilisé lors de la commande."),
    ("in_transit", "fr", "concise", "Commande #1042 expédiée via UPS le 24 février, en transit. "
                                    "Suivi : 1Z999AA10123456784. Livraison estimée : 28 "
                                    "février."),
    ("refund", "fr", "friendly", "Désolée, je ne peux pas traiter de remboursement ici. Je peux "
                                 "seulement vérifier le statut, le suivi et la livraison de "
                                 "votre commande."),
    ("ask_email", "es", "professional", "Por motivos de seguridad, ¿podría indicar el correo "
                                        "electrónico asociado a este pedido?"),
    ("not_shipped", "es", "concise", "Pedido #1042 en proceso, todavía no enviado: no hay "
                                     "información de seguimiento."),
    ("cancel", "es", "friendly", "¡Lo siento! No puedo cancelar pedidos en este chat. Solo "
                                 "puedo comprobar el estado, el seguimiento y la entrega."),
    ("payment", "es", "concise", "Estado del pago del pedido #1042: pagado."),
    ("not_found", "de", "professional", "Leider konnte ich keine Bestellung mit der Nummer "
                                        "#1042 finden. Bitte prüfen Sie die Nummer in Ihrer "
                                        "Bestellbestätigung."),
    ("not_shipped", "de", "friendly", "Ihre Bestellung #1042 wird gerade bearbeitet und wurde "
                                      "noch nicht versendet, deshalb gibt es noch keine "
                                      "Sendungsverfolgung."),
    ("refund", "de", "concise", "Rückerstattungen kann ich in diesem Chat nicht bearbeiten, "
                                "nur Status, Sendungsverfolgung und Lieferdetails prüfen."),
    ("payment", "de", "professional", "Der Zahlungsstatus Ihrer Bestellung #1042 lautet: "
                                      "bezahlt."),
)


def untuned() -> list[Case]:
    """The UNTUNED rewrites as cases (friendly ones speak with the persona)."""
    return [Case(TEMPLATES[key], FACTS.get(key, ()), language, tone,
                 PERSONA if tone == "friendly" else "", text)
            for key, language, tone, text in UNTUNED]
