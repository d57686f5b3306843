"""The development store's token endpoint and installation fields answer as Shopify does."""

from __future__ import annotations

import pytest

from lumen.devstore import FixtureError, create_devstore_app, load_fixtures
from lumen.devstore.oauth import ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE
from tests.embedded_app import API_KEY, API_SECRET, SHOP

GRAPHQL = "/admin/api/2026-04/graphql.json"
INSTALLATION = "query { currentAppInstallation { activeSubscriptions { name status } } }"


def exchange_body(subject_token: str, **changes) -> dict:
    return {"client_id": API_KEY, "client_secret": API_SECRET, "grant_type": TOKEN_EXCHANGE,
            "subject_token": subject_token, "subject_token_type": ID_TOKEN_TYPE,
            "requested_token_type": OFFLINE_TOKEN_TYPE, "expiring": 1, **changes}


def refresh_body(refresh_token: str) -> dict:
    return {"client_id": API_KEY, "client_secret": API_SECRET, "grant_type": "refresh_token",
            "refresh_token": refresh_token}


@pytest.fixture
def shopify(devstore):
    return devstore.test_client()


def query(shopify, token: str, document: str = "query { shop { name } }"):
    return shopify.post(GRAPHQL, json={"query": document},
                        headers={"X-Shopify-Access-Token": token})


def test_token_exchange_issues_an_expiring_offline_token(shopify, make_token):
    response = shopify.post("/admin/oauth/access_token", json=exchange_body(make_token()))
    assert response.status_code == 200
    grant = response.get_json()
    assert set(grant) == {"access_token", "expires_in", "refresh_token",
                          "refresh_token_expires_in", "scope"}
    assert 3590 <= grant["expires_in"] <= 3600
    assert 90 * 86400 - 10 <= grant["refresh_token_expires_in"] <= 90 * 86400
    assert grant["scope"] == "read_orders,read_themes"
    assert query(shopify, grant["access_token"]).status_code == 200


def test_a_non_expiring_exchange_has_no_refresh_token(shopify, make_token):
    grant = shopify.post("/admin/oauth/access_token",
                         json=exchange_body(make_token(), expiring=0)).get_json()
    assert set(grant) == {"access_token", "scope"}


def test_form_encoded_requests_work_too(shopify, make_token):
    response = shopify.post("/admin/oauth/access_token", data=exchange_body(make_token()))
    assert response.status_code == 200 and "refresh_token" in response.get_json()


@pytest.mark.parametrize(("changes", "status", "error"), [
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "another-app"}, 401, "invalid_client"),
    ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
    ({"subject_token": "not-a-jwt"}, 400, "invalid_subject_token"),
    ({"subject_token_type": "urn:ietf:params:oauth:token-type:jwt"}, 400, "invalid_request"),
])
def test_refused_exchanges_say_why(shopify, make_token, changes, status, error):
    response = shopify.post("/admin/oauth/access_token",
                            json={**exchange_body(make_token()), **changes})
    assert response.status_code == status and response.get_json()["error"] == error


def test_a_session_token_for_another_shop_or_app_is_refused(shopify, make_token):
    for token in (make_token("stranger.myshopify.com"), make_token(aud="another-app")):
        response = shopify.post("/admin/oauth/access_token", json=exchange_body(token))
        assert response.get_json()["error"] == "invalid_subject_token"


def test_refresh_rotates_both_tokens(shopify, make_token, issuer):
    first = shopify.post("/admin/oauth/access_token", json=exchange_body(make_token())).get_json()
    second = shopify.post("/admin/oauth/access_token",
                          json=refresh_body(first["refresh_token"])).get_json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert query(shopify, second["access_token"]).status_code == 200
    assert query(shopify, first["access_token"]).status_code == 401
    reused = shopify.post("/admin/oauth/access_token", json=refresh_body(first["refresh_token"]))
    assert reused.status_code == 400 and reused.get_json()["error"] == "invalid_grant"
    assert issuer.refreshes == 1


def test_a_new_exchange_revokes_the_previous_grant(shopify, make_token):
    first = shopify.post("/admin/oauth/access_token", json=exchange_body(make_token())).get_json()
    shopify.post("/admin/oauth/access_token", json=exchange_body(make_token()))
    assert query(shopify, first["access_token"]).status_code == 401


def test_an_expired_access_token_is_refused(make_token):
    store = create_devstore_app(access_tokens=set(), api_key=API_KEY, api_secret=API_SECRET,
                                token_ttl=-1)
    client = store.test_client()
    grant = client.post("/admin/oauth/access_token", json=exchange_body(make_token())).get_json()
    assert query(client, grant["access_token"]).status_code == 401


def test_without_app_credentials_the_endpoint_refuses_everyone(make_token):
    client = create_devstore_app().test_client()
    response = client.post("/admin/oauth/access_token", json=exchange_body(make_token()))
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"


def test_current_app_installation_comes_from_the_fixture(make_token):
    fixtures = {**load_fixtures(), "app_installation": {
        "activeSubscriptions": [{"name": "Pro+", "status": "ACTIVE"}]}}
    client = create_devstore_app(fixtures).test_client()
    data = query(client, "any", INSTALLATION).get_json()["data"]
    assert data == {"currentAppInstallation": {
        "activeSubscriptions": [{"name": "Pro+", "status": "ACTIVE"}]}}
    default = query(create_devstore_app().test_client(), "any", INSTALLATION).get_json()
    assert default["data"]["currentAppInstallation"]["activeSubscriptions"] == []


def test_the_main_theme_comes_from_the_fixture():
    settings = {"current": {"blocks": {"1": {"type": "shopify://apps/lumen/blocks/lumen-chat/x",
                                             "disabled": False}}}}
    fixtures = {**load_fixtures(), "main_theme": {"name": "Dawn", "settings_data": settings}}
    document = """query { themes(first: 1, roles: [MAIN]) { nodes { name
      files(filenames: ["config/settings_data.json"], first: 1) { nodes { filename
        body { ... on OnlineStoreThemeFileBodyText { content } } } } } } }"""
    data = query(create_devstore_app(fixtures).test_client(), "any", document).get_json()["data"]
    theme = data["themes"]["nodes"][0]
    assert theme["name"] == "Dawn"
    assert "/blocks/lumen-chat/" in theme["files"]["nodes"][0]["body"]["content"]


@pytest.mark.parametrize("section", [
    {"app_installation": {"activeSubscriptions": [{"name": "Pro", "status": "PAID"}]}},
    {"app_installation": ["Pro"]},
    {"main_theme": {"settings_data": {}}},
    {"main_theme": {"name": "Dawn", "settings_data": 42}},
])
def test_malformed_installation_sections_are_refused(section):
    with pytest.raises(FixtureError):
        load_fixtures({**load_fixtures(), **section})


def test_fixture_files_without_the_sections_still_load():
    bundled = load_fixtures()
    plain = {"shop": bundled["shop"], "orders": bundled["orders"]}
    assert set(load_fixtures(plain)) == {"shop", "orders"} and plain["shop"] == SHOP
    default = query(create_devstore_app(plain).test_client(), "any",
                    "query { themes(first: 1, roles: [MAIN]) { nodes { name } } }").get_json()
    assert default["data"]["themes"]["nodes"] == []


def test_the_bundled_demo_store_has_the_app_embed_switched_on():
    from lumen.admin.theme_embed import embed_enabled

    assert embed_enabled(load_fixtures()["main_theme"]["settings_data"])
