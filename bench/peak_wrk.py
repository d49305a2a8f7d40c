"""The PK page against a bare Django view under wrk (bench/peak.py, step 6)."""

import re
import statistics
import subprocess
import urllib.request

from processes import cpu_seconds, load

# As many keep-alive connections as the web processes have threads, twice over: enough for
# every process to have work whichever connections the kernel hands it.
WRK_CONNECTIONS = 16


def browser_cookies(url: str, session: str) -> str:
    """The cookies a browser sends after its first view of `url`: the session's and the CSRF
    cookie the page set (without it, every measured view would make a new CSRF secret and
    send it back, which no browser asks for twice)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.status == 200, response.status
        set_cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next(c.split(";")[0] for c in set_cookies if c.startswith("csrftoken="))
    return f"sessionid={session}; {csrf}"


def run_wrk(url: str, cookies: str, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency", "-H",
         f"Cookie: {cookies}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = {p: re.search(rf"\s{p}%\s+(\S+)", output)[1] for p in ("50", "99")}
    return {"rate": rate, "errors": int(errors[1]) if errors else 0, **latency}


def wrk_pair(args, sessions: dict, web) -> None:
    """The PK page against the bare view, `--wrk-rounds` pairs, the order swapped every round
    (what runs second meets a warmer or a busier machine): each pair's ratio, then their
    median, so that one noisy run does not decide."""
    base = f"http://127.0.0.1:{args.port}"
    page = f"{base}/pk/{sessions['bontang']['pk']}/"
    cookie = browser_cookies(page, sessions["bontang"]["cookie"])
    targets = {"bare view": f"{base}/bench/bare/", "PK page (51 indicators)": page}
    for url in targets.values():  # warm both: caches, templates, connections
        run_wrk(url, cookie, 2)
    print(
        f"\nwrk, 2 threads × {WRK_CONNECTIONS} connections, {args.wrk_seconds} s each, "
        f"{args.wrk_rounds} rounds; {load()}"
    )
    ratios = []
    for round_number in range(args.wrk_rounds):
        order = list(targets.items())
        if round_number % 2:
            order.reverse()
        results = {}
        for label, url in order:
            before = cpu_seconds([web.pid])
            result = run_wrk(url, cookie, args.wrk_seconds)
            spent = cpu_seconds([web.pid]) - before
            requests = result["rate"] * args.wrk_seconds
            result["cpu_ms"] = spent / requests * 1000 if requests else 0
            results[label] = result
            print(f"  {label:<26} {result['rate']:7.1f} req/s  p50 {result['50']:>8}  p99 "
                  f"{result['99']:>8}  web CPU {result['cpu_ms']:5.1f} ms/request  "
                  f"non-2xx {result['errors']}")  # fmt: skip
        ratio = results["PK page (51 indicators)"]["rate"] / results["bare view"]["rate"]
        ratios.append(ratio)
        print(f"  round {round_number + 1}: PK page = {ratio:.0%} of the bare view; {load()}")
    print(
        f"  PK page throughput = {statistics.median(ratios):.0%} of the bare view's, median of "
        f"{len(ratios)} (rounds: {', '.join(f'{r:.0%}' for r in ratios)}; goal ≥ 50 %)"
    )
