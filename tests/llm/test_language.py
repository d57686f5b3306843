"""The small language guess used to keep a rewrite in the conversation's language."""

from __future__ import annotations

import pytest

from lumen.llm.language import detect_language


@pytest.mark.parametrize(("text", "code"), [
    ("Where is my order? It has not arrived yet.", "en"),
    ("Où est ma commande ? Je ne l'ai pas reçue.", "fr"),
    ("¿Dónde está mi pedido? No ha llegado todavía.", "es"),
    ("Wo ist meine Bestellung? Sie ist noch nicht da.", "de"),
    ("Dov'è il mio ordine? Non è ancora arrivato e non ho notizie.", "it"),
    ("Onde está o meu pedido? Ainda não chegou e não tenho notícias.", "pt"),
    ("Waar is mijn bestelling? Hij is nog niet aangekomen.", "nl"),
    ("注文した商品はどこですか？", "ja"),
    ("我的订单在哪里？", "zh"),
    ("제 주문은 어디에 있나요?", "ko"),
    ("Где мой заказ?", "ru"),
    ("أين طلبي؟", "ar"),
])
def test_common_languages_are_recognised(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "#1042", "ok", "1Z999AA10123456784 UPS"])
def test_thin_evidence_gives_no_guess(text):
    assert detect_language(text) is None
