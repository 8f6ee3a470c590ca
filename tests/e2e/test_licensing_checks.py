"""Checks that were wrong: the commercial-mobile flag follows the band, a call sign in use is
refused by Validate, and the FM calculator covers the band from either end."""

from __future__ import annotations

import httpx

from services.gateway.embedded import EmbeddedSystem
from services.licensing.handlers.broadcasting import example_draft
from tests.e2e.test_licensing_applications import SPECTRUM_OK
from tests.e2e.test_licensing_joint import licence, part1
from tests.support.licensing import (
    API,
    attach,
    decide,
    errors,
    holder_of_second_account,
    new_application,
    officer_and_licensee,
    save,
    submit,
)


async def test_only_commercial_mobile_bands_need_the_5_6_4_material(
        system: EmbeddedSystem, client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    await holder_of_second_account(system)
    app_id = await new_application(client, licensee, "spectrum")
    await save(client, licensee, app_id, SPECTRUM_OK)  # 3650-3660 MHz fixed wireless
    await submit(client, licensee, app_id)
    fixed = (await decide(client, officer, app_id, approve=True))["licence_numbers"][0]
    assert (await licence(client, licensee, fixed))["commercial_mobile"] is False
    assert (await licence(client, licensee, "010898101"))["commercial_mobile"] is True  # AWS-1

    without = {k: v for k, v in part1("transfer", []).items()
               if k != "commercial_mobile_material"}
    transfer = await new_application(client, licensee, "transfer")
    await save(client, licensee, transfer, {"part1": {
        **without, "licences": [{"licence_number": fixed, "scope": "whole"}]}})
    assert "part1" not in await errors(client, licensee, transfer)
    await save(client, licensee, transfer, {"part1": {
        **without, "licences": [{"licence_number": "010898101", "scope": "whole"}]}})
    assert (await errors(client, licensee, transfer))["part1"] == {
        "commercial_mobile_material": "APP-REQUIRED"}


async def test_a_call_sign_in_use_is_refused_by_validate(system: EmbeddedSystem,
                                                        client: httpx.AsyncClient) -> None:
    officer, licensee = await officer_and_licensee(client)
    first = await new_application(client, licensee, "broadcasting")
    await save(client, licensee, first, example_draft())
    await attach(client, licensee, first, "engineering_brief", "antenna_pattern")
    await submit(client, licensee, first)
    await decide(client, officer, first, approve=True)  # CKQZ-FM is in use from now on

    second = await new_application(client, licensee, "broadcasting")
    await save(client, licensee, second, example_draft())
    await attach(client, licensee, second, "engineering_brief", "antenna_pattern")
    assert (await errors(client, licensee, second)) == {
        "main_parameters": {"call_sign": "BC-CALL-SIGN-IN-USE"}}
    refused = await client.post(f"{API}/applications/{second}/submit", headers=licensee)
    assert refused.status_code == 400 and refused.json()["code"] == "APP-INVALID"


async def test_the_fm_calculator_covers_the_whole_band(system: EmbeddedSystem,
                                                       client: httpx.AsyncClient) -> None:
    _, licensee = await officer_and_licensee(client)
    calculate = f"{API}/broadcasting/calculate/channel"
    for frequency, channel in ((88.1, 201), (107.9, 300)):
        by_frequency = await client.get(calculate, headers=licensee,
                                        params={"service": "FM", "frequency": frequency})
        by_channel = await client.get(calculate, headers=licensee,
                                      params={"service": "FM", "channel": channel})
        assert by_frequency.json()["channel"] == channel
        assert by_channel.json()["frequency"] == frequency
    for params in ({"frequency": 87.9}, {"frequency": 108.1}, {"channel": 200},
                   {"channel": 301}):
        outside = await client.get(calculate, headers=licensee, params={"service": "FM",
                                                                         **params})
        assert outside.status_code == 400 and outside.json()["code"] == "BC-CALCULATE"
