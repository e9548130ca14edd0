-- wrk script: POST /auth/login for the user named by the BENCH_USER environment variable.
wrk.method = "POST"
wrk.path = "/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"' .. (os.getenv("BENCH_USER") or "") .. '","password":"benchmark password"}'
