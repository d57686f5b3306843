"""The words the brand-voice guard knows, per language it supports (en, fr, es, de).

A rewrite's content words must be grounded: taken from what the turn may say, or one of the
closed classes below. Function words and tone words carry no claim; every other known word
belongs to a concept, and a concept is usable only when the allowed text mentions it (in any
of the languages, so a French rewrite of an English template can say "commande" for "order").
Concepts with a kind (action, status, time, policy) are claims: their polarity must match too.
Entries ending in "*" match any word starting with them.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "fr", "es", "de")
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "de": "german"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION = {
    "en": _words(
        "a an the this that these those it its they them their theirs there here i me my mine "
        "myself we us our ours you your yours yourself he she his her him one ones is are was "
        "were be been being am has have had having do does did doing done will would shall "
        "should can could may might must to of in on at by for with from into onto about as "
        "than then so and or but nor if when once while until till after before because since "
        "though although yet also just still already only even very really quite too all both "
        "each every any some more most much many no not never none nothing cannot without up "
        "down out over off again further what which who whom whose where why how whether let "
        "such same other another first second third last next own else either neither nobody "
        "s t m re ll ve d o via per whole entire able unable like want wish need needs get gets "
        "got getting go goes going make makes made take takes give gives know knows see look "
        "looks keep come comes tell say put receive receives received let's whenever anything "
        "something everything way along provide share send type enter give use used using thing "
        "things request requests reason reasons under together mind don won isn aren wasn "
        "weren hasn haven hadn doesn didn couldn wouldn shouldn ca"),
    "fr": _words(
        "le la les l un une des du de d au aux ce cet cette ces c ça cela ceci il elle ils elles "
        "on je j me m moi tu te t toi vous nous leur leurs lui y en se s son sa ses mon ma mes "
        "ton ta tes votre vos notre nos qui que qu quoi dont où et ou mais donc ni car si quand "
        "lorsque comme avec sans pour par sur sous dans chez vers entre avant après depuis "
        "pendant jusqu jusque à a as ai avons avez ont avait avaient aura est es suis sommes "
        "êtes sont était étaient été être sera seront fait faire peut peux pouvez pouvons puis "
        "pourrait pourriez pourrais dois doit devez voici voilà aussi encore déjà toujours très "
        "tout tous toute toutes chaque autre autres même seul seule seulement juste ne n pas "
        "plus jamais aucun aucune rien non oui ici là premier première deuxième second seconde "
        "dernier dernière cas afin ainsi alors savoir sais sait voir recevoir recevrez obtenir "
        "souhaitez voulez aimeriez veuillez besoin quel quelle pu cours indiquer indiquez donner "
        "donnez fournir fournissez communiquer communiquez partager partagez envoyer envoyez "
        "demande utilisé utilisée agit lors raison raisons"),
    "es": _words(
        "el la los las lo un una unos unas de del al a en con sin por para sobre entre hasta "
        "desde hacia y e o u pero ni que quien cual cuando como donde si no ya también aún "
        "todavía muy más menos mi mis tu tus su sus nuestro nuestra nuestros nuestras yo tú "
        "usted ustedes él ella ellos ellas nos me te le les se este esta estos estas ese esa eso "
        "esto aquí allí es son está están estaba estoy estamos era fue sido ser estar ha han he "
        "has hemos había haber hay puedo puede puedes pueden podemos podría podrías debe todo "
        "toda todos todas cada otro otra otros otras mismo misma solo sólo sí vez primer primero "
        "primera segundo segunda último última así entonces saber sabe ver recibir recibirás "
        "obtener quieres quiere gustaría desea necesitas necesita caso soy eres somos cuál podido "
        "indicar indica indique indícame proporcionar proporcione dar compartir comparte "
        "comparta enviar envíe escribir escribe solicitud petición usaste usado sea dices dime"),
    "de": _words(
        "der die das den dem des ein eine einen einem einer eines und oder aber doch sondern "
        "denn als wie wenn ob dass zu zum zur von vom mit bei beim aus nach seit für auf an am "
        "im in ins über unter vor durch ohne um bis gegen ich mich mir du dich dir sie ihr ihre "
        "ihren ihrem ihrer ihres ihnen es er ihm ihn wir uns unser unsere unseren unserem "
        "unserer dein deine mein meine meinen meinem meiner sein seine ist sind war waren bin "
        "bist seid wird werden wurde wurden worden hat haben hatte hatten habe hast kann können "
        "könnte könnten kannst muss müssen soll sollte darf möchte möchten dies diese dieser "
        "dieses diesen noch schon auch nur sehr so hier da dort ja nein nicht kein keine "
        "keinen keinem keiner nie niemals alle alles jede jeder jedes jeden andere anderen man "
        "mal etwas ganz bereits erste ersten zweite zweiten letzte letzten dafür dazu damit "
        "darum davon wissen sehen erhalten bekommen würde würden falls gibt es konnte konnten "
        "diesem lautet daher angeben geben teilen mitteilen senden schicken nennen anliegen "
        "anfrage erneut per kurz"),
}

TONE = {
    "en": _words(
        "hi hello hey hiya greetings dear thanks thank cheers welcome sorry apologies apologise "
        "apologize apology afraid unfortunately regret regrettably please kindly glad happy "
        "pleased delighted great good news wonderful fantastic awesome lovely nice excellent "
        "perfect brilliant woohoo yay hooray certainly absolutely sure course right okay ok "
        "alright hope hoping hopefully help helping assist assistance assisting question "
        "questions patience understanding inconvenience trouble worry worries shopping choosing "
        "valued best regards warm warmly sincerely enjoy love exciting excited note seems appears "
        "probably perhaps maybe fine indeed happily gladly friend friends folks message "
        "messages hmm hm oh ah oops well kind"),
    "fr": _words(
        "bonjour bonsoir salut coucou merci beaucoup désolé désolée désolés navré navrée excuses "
        "excusez pardon malheureusement hélas plaît plait svp content contente ravi ravie "
        "heureux heureuse bonne bon bonnes nouvelle nouvelles super génial parfait excellent "
        "formidable chouette bien sûr certainement volontiers aide aider aidez plaisir "
        "cordialement cher chère madame monsieur patience compréhension question questions "
        "hésitez espère espérons agréable"),
    "es": _words(
        "hola buenas buenos gracias muchas muchas siento sentimos lamento lamentamos disculpa "
        "disculpe disculpas perdón desafortunadamente lamentablemente favor encantado encantada "
        "feliz contento contenta alegra buena noticias noticia genial perfecto excelente "
        "estupendo claro seguro ayuda ayudar ayudarte ayudarle gusto placer saludos cordiales "
        "estimado estimada paciencia comprensión pregunta preguntas dude espero esperamos hola"),
    "de": _words(
        "hallo hi hey danke dank vielen herzlichen herzlich bitte gern gerne leider entschuldigung "
        "entschuldigen sorry freut freue freuen froh schön gute guten gut nachricht nachrichten "
        "neuigkeiten super toll prima perfekt ausgezeichnet klar natürlich sicher "
        "selbstverständlich hilfe helfen behilflich weiterhelfen grüße grüßen freundlichen liebe "
        "lieber geehrte geehrter geduld verständnis frage fragen hoffe hoffen geholfen hm"),
}

NEGATIONS = {
    "en": _words("not no never cannot unable without nothing none nor neither nobody"),
    "fr": _words("ne n pas jamais aucun aucune rien sans impossible non"),
    "es": _words("no nunca ningún ninguna ninguno nada sin tampoco jamás imposible"),
    "de": _words("nicht kein keine keinen keinem keiner nie niemals ohne nichts"),
}
HYPOTHETICAL = {
    "en": _words("can could would may might if able once when whether should want like wish "
                 "whenever happy glad"),
    "fr": _words("peux peut pouvez pouvons pourrais pourrait pourriez si s souhaitez voulez "
                 "voudriez aimeriez devrait devraient dès lorsque quand possible ravi ravie "
                 "heureux heureuse"),
    "es": _words("puedo puede puedes pueden podemos podría podríamos podrías si cuando quieres "
                 "quiere quiera gustaría desea deseas debería encantado encantada gusto"),
    "de": _words("kann kannst können könnte könnten möchten möchtest möchte wenn falls sobald "
                 "sollte sollten würde würden gern gerne"),
}
# The assistant or the shop as the one who acted: "I've refunded", "nous avons annulé".
FIRST_PERSON = {
    "en": _words("i we ve"),
    "fr": _words("je j nous"),
    "es": _words("yo he hemos nosotros"),
    "de": _words("ich wir habe"),
}
# Words that end one clause and start another: polarity is read per clause.
CLAUSE_BREAKS = {
    "en": _words("but and so however although though whereas because why"),
    "fr": _words("mais et donc car cependant pourquoi"),
    "es": _words("pero y e así aunque porque sino qué"),
    "de": _words("aber und sondern doch denn weil jedoch warum"),
}
NUMBER_WORDS = {
    "en": {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
           "eight": "8", "nine": "9", "ten": "10"},
    "fr": {"deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7",
           "huit": "8", "neuf": "9", "dix": "10"},
    "es": {"dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
           "ocho": "8", "nueve": "9", "diez": "10"},
    "de": {"zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "sechs": "6", "sieben": "7",
           "acht": "8", "neun": "9", "zehn": "10"},
}

# concept: (kind or "", {language: entries})
CONCEPTS: dict[str, tuple[str, dict[str, str]]] = {
    # --- plain vocabulary of the templates ---------------------------------------------------
    "order": ("", {"en": "order orders order's ordered purchase purchases",
                   "fr": "commande commandes achat", "es": "pedido pedidos orden compra",
                   "de": "bestellung bestellungen auftrag"}),
    "package": ("", {"en": "package packages parcel parcels shipment shipments box",
                     "fr": "colis paquet paquets envoi", "es": "paquete paquetes envío envíos",
                     "de": "paket pakete päckchen sendung sendungen"}),
    "tracking": ("", {"en": "tracking track tracked trace", "fr": "suivi suivre",
                      "es": "seguimiento rastreo rastrear", "de": "sendungsverfolgung "
                      "verfolgung nachverfolgung tracking trackingnummer sendungsnummer "
                      "verfolgen"}),
    "number": ("", {"en": "number numbers", "fr": "numéro numéros", "es": "número números",
                    "de": "nummer nummern bestellnummer"}),
    "link": ("", {"en": "link links url page", "fr": "lien liens page",
                  "es": "enlace enlaces página", "de": "link links seite"}),
    "email": ("", {"en": "email e-mail inbox", "fr": "e-mail email courriel",
                   "es": "correo electrónico email", "de": "e-mail email e-mail-adresse mail"}),
    "address": ("", {"en": "address addresses", "fr": "adresse adresses",
                     "es": "dirección direcciones", "de": "adresse adressen"}),
    "check": ("", {"en": "check checked double-check", "fr": "vérifiez vérifier contrôler",
                   "es": "comprobar comprueba compruebe revisa revise revisar", "de": "prüfen "
                   "prüfe kontrollieren"}),
    "security": ("", {"en": "security secure safety", "fr": "sécurité",
                      "es": "seguridad", "de": "sicherheit sicherheitsgründen"}),
    "associated": ("", {"en": "associated linked tied", "fr": "associée associé liée lié "
                        "correspondant correspondante", "es": "asociado asociada vinculado "
                        "vinculada", "de": "verknüpft verbunden zugeordnet"}),
    "confirmation": ("", {"en": "confirmation", "fr": "confirmation",
                          "es": "confirmación", "de": "bestätigung bestätigungs-e-mail "
                          "bestellbestätigung"}),
    "team": ("", {"en": "support team staff person people human someone agent service",
                  "fr": "équipe support service assistance personne conseiller",
                  "es": "equipo soporte servicio asistencia persona atención agente",
                  "de": "team support kundenservice kundendienst mitarbeiter person "
                        "mensch"}),
    "store": ("", {"en": "store shop", "fr": "boutique magasin", "es": "tienda",
                   "de": "shop laden geschäft"}),
    "add": ("", {"en": "add added", "fr": "ajouter ajouté ajoutée", "es": "añadir añadido "
                 "agregado", "de": "hinzufügen hinzugefügt"}),
    "details": ("", {"en": "details detail information info", "fr": "détails informations "
                     "infos", "es": "detalles información datos", "de": "details "
                     "informationen angaben daten"}),
    "status": ("", {"en": "status state", "fr": "statut état", "es": "estado",
                    "de": "status stand zustand"}),
    "carrier": ("", {"en": "carrier courier", "fr": "transporteur livreur",
                     "es": "transportista mensajería paquetería", "de": "versanddienstleister "
                     "zusteller paketdienst spediteur"}),
    "date": ("", {"en": "date", "fr": "date", "es": "fecha", "de": "datum"}),
    "eta": ("", {"en": "estimated estimate estimates expected expect expecting eta arrive "
                       "arrives arriving arrival land",
                 "fr": "estimée estimé estimation prévue prévu prévision arriver arrivera "
                       "arrivée",
                 "es": "estimada estimado estimación prevista previsto llegar llegará llegada",
                 "de": "voraussichtlich voraussichtliche voraussichtlichen erwartet erwartete "
                       "ankommen ankunft eintreffen geschätzt geschätzte"}),
    "delivery": ("", {"en": "delivery deliveries", "fr": "livraison",
                      "es": "entrega", "de": "lieferung zustellung liefer*"}),
    "items": ("", {"en": "item items product products article articles",
                   "fr": "article articles produit produits",
                   "es": "artículo artículos producto productos", "de": "artikel produkt "
                   "produkte"}),
    "contains": ("", {"en": "contains includes containing include", "fr": "contient comprend",
                      "es": "contiene incluye", "de": "enthält umfasst"}),
    "payment": ("", {"en": "payment payments pay paying", "fr": "paiement payer",
                     "es": "pago pagar", "de": "zahlung zahlungsstatus bezahlung bezahlen"}),
    "latest": ("", {"en": "latest last recent newest update updates",
                    "fr": "dernière dernier récente nouvelles",
                    "es": "última último reciente actualización", "de": "letzte neueste "
                    "aktualisierung update"}),
    # Grounded by any amount of money in the allowed text (see meaning.ground).
    "price": ("", {"en": "cost costs price priced total amount", "fr": "prix coût montant total",
                   "es": "precio coste costo importe total", "de": "preis kosten betrag summe"}),
    "chat": ("", {"en": "chat conversation here", "fr": "chat conversation discussion",
                  "es": "chat conversación", "de": "chat gespräch unterhaltung"}),
    "process": ("", {"en": "process handle", "fr": "traiter gérer", "es": "procesar tramitar "
                     "gestionar", "de": "bearbeiten abwickeln"}),
    "try": ("", {"en": "try again retry", "fr": "réessayer essayer réessayez", "es": "intentar "
                 "intentarlo inténtalo", "de": "versuchen"}),
    "reach": ("", {"en": "reach", "fr": "joindre atteindre accéder", "es": "acceder contactar "
                   "alcanzar", "de": "erreichen"}),
    "system": ("", {"en": "system", "fr": "système", "es": "sistema", "de": "system"}),
    "part": ("", {"en": "part partly partially", "fr": "partie partiellement",
                  "es": "parte parcialmente", "de": "teil teilweise"}),
    # Month names: dates are checked as numbers; the month must be the template's.
    "month_1": ("", {"en": "january jan", "fr": "janvier", "es": "enero", "de": "januar"}),
    "month_2": ("", {"en": "february feb", "fr": "février", "es": "febrero", "de": "februar"}),
    "month_3": ("", {"en": "march mar", "fr": "mars", "es": "marzo", "de": "märz"}),
    "month_4": ("", {"en": "april apr", "fr": "avril", "es": "abril", "de": "april"}),
    "month_5": ("", {"en": "may", "fr": "mai", "es": "mayo", "de": "mai"}),
    "month_6": ("", {"en": "june jun", "fr": "juin", "es": "junio", "de": "juni"}),
    "month_7": ("", {"en": "july jul", "fr": "juillet", "es": "julio", "de": "juli"}),
    "month_8": ("", {"en": "august aug", "fr": "août", "es": "agosto", "de": "august"}),
    "month_9": ("", {"en": "september sep sept", "fr": "septembre", "es": "septiembre",
                     "de": "september"}),
    "month_10": ("", {"en": "october oct", "fr": "octobre", "es": "octubre", "de": "oktober"}),
    "month_11": ("", {"en": "november nov", "fr": "novembre", "es": "noviembre", "de": "november"}),
    "month_12": ("", {"en": "december dec", "fr": "décembre", "es": "diciembre", "de": "dezember"}),
    # --- claims: actions -----------------------------------------------------------------------
    "refund": ("action", {"en": "refund* reimburs*", "fr": "rembours*",
                          "es": "reembols* devolv* reintegr*", "de": "erstatt* rückerstatt*"}),
    "cancel": ("action", {"en": "cancel*", "fr": "annul*", "es": "cancel* anul*",
                          "de": "storn* annull* abgesagt"}),
    "replace": ("action", {"en": "replac* reship* resend* resent", "fr": "remplac* renvoy*",
                           "es": "reemplaz* reenví* reenvi* sustitu*",
                           "de": "ersatz ersetz* nachgeschickt nachsenden"}),
    "discount": ("action", {"en": "discount* coupon* voucher* promo*", "fr": "réduction* "
                            "remise* bon* promo*", "es": "descuento* cupón cupon* promo*",
                            "de": "rabatt* gutschein*"}),
    "credit": ("action", {"en": "credit*", "fr": "avoir crédit*", "es": "crédito* saldo",
                          "de": "gutschrift* guthaben"}),
    "compensate": ("action", {"en": "compensat* goodwill gesture", "fr": "dédommag* "
                              "compens* geste", "es": "compens* indemniz*",
                              "de": "entschädig* kompens*"}),
    "expedite": ("action", {"en": "upgrad* expedit* express priorit* rush*",
                            "fr": "accélér* priorit* express", "es": "urgente priorid* "
                            "aceler* express", "de": "beschleunig* priorisiert express"}),
    "change": ("action", {"en": "change changed changing changes modify modified amend "
                                "amended edit edited corrected",
                          "fr": "modifier modifié modifiée changer changé changée",
                          "es": "cambiar cambiado cambiada modificar modificado",
                          "de": "ändern geändert änderung"}),
    "exchange": ("action", {"en": "exchange exchanges exchanged swap swapped",
                            "fr": "échange* échanger", "es": "cambio* intercambi*",
                            "de": "umtausch* getauscht"}),
    "contact": ("action", {"en": "contact contacted contacting called emailed messaged "
                                 "texted",
                           "fr": "contact contacter contactez contacté contactée",
                           "es": "contacto contactar contactado contacta",
                           "de": "kontakt kontaktieren kontaktiert kontaktseite"}),
    "connect": ("action", {"en": "connect connected connecting", "fr": "relation",
                           "es": "conectar conectarte conectarle", "de": "verbinden "
                           "verbunden"}),
    "escalate": ("action", {"en": "pass passed passing forward forwarded escalat* noted "
                                  "flagged notified informed",
                            "fr": "transmis transmettre transmets transféré signalé informé",
                            "es": "pasado pasé transmitido trasladado remitido escalado "
                                  "informado",
                            "de": "weitergeleitet weitergegeben weitergeben weiterleiten "
                                  "informiert benachrichtigt"}),
    "follow_up": ("action", {"en": "follow following followed", "fr": "recontacter "
                             "recontactera reviendra", "es": "responderá comunicará",
                             "de": "melden melden zurückmelden"}),
    "verified": ("action", {"en": "verify verified verification match matches matched "
                                  "matching confirm",
                            "fr": "vérifier vérifié vérifiée vérification confirmer correspond "
                                  "correspondre correspondant correspondante",
                            "es": "verificar verificado verificada verificación confirmar "
                                  "coincide coincidir",
                            "de": "überprüfen verifizieren bestätigen passt stimmt "
                                  "übereinstimmt überein überprüft"}),
    "find": ("action", {"en": "find found locate located", "fr": "trouver trouvé trouve "
                        "trouverez retrouver figure", "es": "encontrar encontrado encontrarás "
                        "encuentro localizar", "de": "finden gefunden findest"}),
    # --- claims: statuses ----------------------------------------------------------------------
    "shipped": ("status", {"en": "shipped ships sent dispatched posted mailed transit "
                                 "travelling traveling moving headed heading took left went",
                           "fr": "expédié expédiée expédiés expédiées envoyé envoyée envoyés "
                                 "envoyées parti partie partis transit acheminement remis "
                                 "remise",
                           "es": "enviado enviada enviados enviadas despachado despachada "
                                 "tránsito salió",
                           "de": "versandt versendet verschickt unterwegs transit abgeschickt "
                                 "übergeben"}),
    "preparing": ("status", {"en": "prepared preparing processing processed packed packing "
                                   "confirmed",
                             "fr": "préparée préparé préparation traitement traitée traité "
                                   "confirmée confirmé emballé emballée",
                             "es": "preparando preparado preparada procesando procesado "
                                   "confirmado confirmada",
                             "de": "vorbereitet bearbeitung bearbeitet bestätigt verpackt"}),
    "fulfilled": ("status", {"en": "fulfilled fulfillment fulfilment",
                             "fr": "traitée traité exécutée", "es": "completado completada "
                             "preparado", "de": "erfüllt bearbeitet abgewickelt"}),
    "delivered": ("status", {"en": "delivered arrived landed dropped",
                             "fr": "livré livrée livrés livrées arrivé arrivée déposé",
                             "es": "entregado entregada entregados llegó llegado",
                             "de": "zugestellt geliefert angekommen ausgeliefert"}),
    "out_for_delivery": ("status", {"en": "", "fr": "", "es": "reparto", "de": ""}),
    "lost": ("status", {"en": "lost misplaced stolen", "fr": "perdu perdue égaré volé",
                        "es": "perdido perdida extraviado extraviada robado",
                        "de": "verloren verschollen gestohlen"}),
    "damaged": ("status", {"en": "damaged broken wrong missing", "fr": "endommagé abîmé "
                           "cassé manquant", "es": "dañado roto equivocado faltante",
                           "de": "beschädigt kaputt falsch fehlend fehlt"}),
    "delayed": ("status", {"en": "delayed delay delays late stuck behind",
                           "fr": "retard retardé retardée bloqué", "es": "retraso retrasado "
                           "retrasada demora bloqueado", "de": "verzögert verzögerung "
                           "verspätet verspätung"}),
    "returned": ("status", {"en": "returned return returns returning",
                            "fr": "retourné retour retours", "es": "devuelto devolución "
                            "devoluciones", "de": "zurückgeschickt rücksendung retoure"}),
    "on_hold": ("status", {"en": "hold held paused", "fr": "suspendu suspendue",
                           "es": "retenido suspendido", "de": "angehalten zurückgehalten "
                           "pausiert"}),
    "pending": ("status", {"en": "pending outstanding", "fr": "attente",
                           "es": "pendiente", "de": "ausstehend offen"}),
    "paid": ("status", {"en": "paid", "fr": "payé payée réglé réglée",
                        "es": "pagado pagada", "de": "bezahlt beglichen"}),
    "customs": ("status", {"en": "customs", "fr": "douane", "es": "aduana", "de": "zoll"}),
    # --- claims: times -------------------------------------------------------------------------
    "now": ("time", {"en": "now currently", "fr": "maintenant actuellement",
                     "es": "ahora actualmente", "de": "jetzt derzeit aktuell momentan"}),
    "today": ("time", {"en": "today tonight", "fr": "aujourd'hui", "es": "hoy",
                       "de": "heute"}),
    "tomorrow": ("time", {"en": "tomorrow", "fr": "demain", "es": "mañana", "de": "morgen"}),
    "yesterday": ("time", {"en": "yesterday", "fr": "hier", "es": "ayer", "de": "gestern"}),
    "soon": ("time", {"en": "soon shortly quickly quick fast faster asap immediately "
                            "instantly promptly early",
                      "fr": "bientôt prochainement rapidement vite immédiatement tôt",
                      "es": "pronto rápido rápidamente inmediatamente enseguida temprano",
                      "de": "bald schnell sofort gleich umgehend früh"}),
    "later": ("time", {"en": "later", "fr": "tard", "es": "tarde", "de": "später"}),
    "minute": ("time", {"en": "minute minutes", "fr": "minute minutes",
                        "es": "minuto minutos", "de": "minute minuten"}),
    "hour": ("time", {"en": "hour hours", "fr": "heure heures", "es": "hora horas",
                      "de": "stunde stunden"}),
    "day": ("time", {"en": "day days daily morning afternoon evening night overnight",
                     "fr": "jour jours matin soir nuit journée", "es": "día días noche",
                     "de": "tag tage tagen abend nacht"}),
    "week": ("time", {"en": "week weeks weekend weekday", "fr": "semaine semaines week-end",
                      "es": "semana semanas", "de": "woche wochen wochenende"}),
    "month": ("time", {"en": "month months", "fr": "mois", "es": "mes meses",
                       "de": "monat monate"}),
    "on_time": ("time", {"en": "time", "fr": "temps délai délais", "es": "tiempo plazo",
                         "de": "zeit rechtzeitig pünktlich frist"}),
    "weekday": ("time", {"en": "monday tuesday wednesday thursday friday saturday sunday",
                         "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
                         "es": "lunes martes miércoles jueves viernes sábado domingo",
                         "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag"}),
    # --- claims: policies ----------------------------------------------------------------------
    "free": ("policy", {"en": "free", "fr": "gratuit gratuite gratuits gratuitement",
                        "es": "gratis gratuito gratuita", "de": "kostenlos kostenfrei umsonst "
                        "gratis"}),
    "policy": ("policy", {"en": "policy policies", "fr": "politique", "es": "política",
                          "de": "richtlinie richtlinien"}),
    "guarantee": ("policy", {"en": "guarantee* warrant* promise*", "fr": "garanti* promet* "
                             "promis promesse", "es": "garantiz* garantía prometo prometemos",
                             "de": "garanti* versproch* versprechen"}),
    "always": ("policy", {"en": "always", "fr": "systématiquement", "es": "siempre",
                          "de": "immer"}),
}

# Multi-word expressions, read before single words: (pattern, concepts or "tone").
PHRASES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "en": (
        (r"have an? (?:nice|great|good|lovely|wonderful|fantastic|brilliant) "
         r"(?:day|one|weekend|evening)", ()),
        (r"feel free", ()), (r"no (?:worries|problem)", ()), (r"let me know", ()),
        (r"thank you", ()), (r"of course", ()), (r"you're welcome", ()),
        (r"out for delivery", ("out_for_delivery",)),
        (r"on (?:its|the|their|his|her) way", ("shipped",)), (r"on the move", ("shipped",)),
        (r"en route", ("shipped",)), (r"went out", ("shipped",)),
        (r"picked up", ("shipped",)), (r"dropped off", ("delivered",)),
        (r"on hold", ("on_hold",)), (r"held up", ("delayed",)),
        (r"sent back", ("returned",)), (r"money back", ("refund",)),
        (r"right (?:away|now)", ("soon",)), (r"as soon as possible", ("soon",)),
        (r"in no time", ("soon",)), (r"at the moment", ("now",)),
        (r"(?:put|get|getting) you in touch", ("connect",)),
        (r"let(?:ting)?(?: \S+){1,5} know", ("escalate",)),
    ),
    "fr": (
        (r"bonne (?:journée|soirée|fin de journée)", ()), (r"s'il vous pla[iî]t", ()),
        (r"n'hésitez pas", ()), (r"pas de (?:souci|problème)", ()), (r"bien sûr", ()),
        (r"en cours de livraison", ("out_for_delivery",)), (r"en livraison",
                                                            ("out_for_delivery",)),
        (r"en (?:route|chemin)", ("shipped",)), (r"en cours d'acheminement", ("shipped",)),
        (r"en attente", ("on_hold", "pending")), (r"mise à jour", ("latest",)),
        (r"(?:mettre|mets|mettrai) en (?:relation|contact)", ("connect",)),
        (r"dès que possible", ("soon",)), (r"tout de suite", ("soon",)),
        (r"en ce moment", ("now",)), (r"à temps", ("on_time",)),
    ),
    "es": (
        (r"buen(?:os|as) (?:días|tardes|noches)", ()), (r"que tengas? un buen día", ()),
        (r"por favor", ()), (r"de nuevo", ()), (r"no dude en", ()), (r"sin problema", ()),
        (r"lo siento", ()),
        (r"no te preocupes", ()), (r"en camino", ("shipped",)), (r"en tránsito", ("shipped",)),
        (r"en reparto", ("out_for_delivery",)), (r"en espera", ("on_hold", "pending")),
        (r"cuanto antes|lo antes posible|de inmediato|en breve", ("soon",)),
        (r"poner(?:te|le)? en contacto", ("connect",)), (r"en este momento", ("now",)),
        (r"a tiempo", ("on_time",)),
    ),
    "de": (
        (r"guten (?:tag|morgen|abend)", ()), (r"schönen tag", ()),
        (r"es tut (?:mir|uns) leid", ()), (r"kein problem", ()), (r"vielen dank", ()),
        (r"mit freundlichen grüßen", ()), (r"auf dem weg", ("shipped",)),
        (r"in zustellung", ("out_for_delivery",)), (r"so schnell wie möglich", ("soon",)),
        (r"in verbindung (?:setzen|bringen)", ("connect",)), (r"im moment|zurzeit", ("now",)),
    ),
}


def compile_phrases(language: str) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The language's phrases as patterns over lower-cased text, in their listed order."""
    phrases = PHRASES.get(language, ())  # in order: tone phrases first
    return tuple((re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"), concepts)
                 for pattern, concepts in phrases)
