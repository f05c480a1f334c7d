"""The claim → role map of single sign-on, and the SSO settings, read strictly."""

from __future__ import annotations

import pytest

from workflow import InvalidInput, Settings, parse_role_map, role_for

MAP = "groups:innovasjonsutvalg-kommune=gatekeeper/kommune; groups:fou=coordinator;hd:ntnu.no=owner"


def test_the_first_matching_rule_gives_role_and_group():
    rules = parse_role_map(MAP)

    assert role_for(rules, {"groups": ["ansatte", "innovasjonsutvalg-kommune", "fou"]}) == (
        "gatekeeper",
        "kommune",
    )
    assert role_for(rules, {"groups": ["fou"]}) == ("coordinator", None)
    assert role_for(rules, {"hd": "ntnu.no"}) == ("owner", None)
    assert role_for(rules, {"groups": "nothing"}) == ("owner", None)
    assert parse_role_map("") == ()


@pytest.mark.parametrize(
    "bad",
    [
        "groups=admin",
        "groups:x=king",
        "groups:x=gatekeeper",
        "groups:x=coordinator/kommune",
        "groups:x=gatekeeper/Kommune",
        ":x=admin",
        "groups:=admin",
        "groups:a b=admin",
    ],
)
def test_a_bad_rule_is_refused_naming_the_variable_and_the_rule(bad):
    with pytest.raises(InvalidInput) as refused:
        parse_role_map(f"groups:ok=admin;{bad}")

    assert set(refused.value.fields) == {"SAMSPILL_OIDC_ROLE_MAP"}
    assert refused.value.fields["SAMSPILL_OIDC_ROLE_MAP"].params["rule"] == bad


def test_the_settings_refuse_an_unusable_sso_configuration(tmp_path):
    env = {
        "SAMSPILL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SAMSPILL_OIDC_ISSUER": "ftp://idp",
        "SAMSPILL_OIDC_ROLE_MAP": "groups:x=wizard",
        "SAMSPILL_LOCAL_LOGIN": "maybe",
    }
    with pytest.raises(InvalidInput) as refused:
        Settings.from_env(env)

    assert set(refused.value.fields) == {
        "SAMSPILL_OIDC_ISSUER",
        "SAMSPILL_OIDC_CLIENT_ID",
        "SAMSPILL_OIDC_CLIENT_SECRET",
        "SAMSPILL_OIDC_ROLE_MAP",
        "SAMSPILL_LOCAL_LOGIN",
    }
    with pytest.raises(InvalidInput, match="SAMSPILL_LOCAL_LOGIN"):
        Settings.from_env(
            {
                **env,
                "SAMSPILL_OIDC_ISSUER": "",
                "SAMSPILL_OIDC_ROLE_MAP": "",
                "SAMSPILL_LOCAL_LOGIN": "off",
            }
        )
    ok = Settings.from_env(
        {
            **env,
            "SAMSPILL_OIDC_ISSUER": "https://auth.dataporten.no",
            "SAMSPILL_OIDC_CLIENT_ID": "c",
            "SAMSPILL_OIDC_CLIENT_SECRET": "s",
            "SAMSPILL_OIDC_ROLE_MAP": MAP,
            "SAMSPILL_LOCAL_LOGIN": "off",
        }
    )
    assert ok.oidc_method == "client_secret_basic"
    assert ok.local_login == "off"
