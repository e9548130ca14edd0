-- wrk script: client authentication with junk at /oauth/token. ABUSE_ID_LENGTH characters of random client id
-- (default 1500) and a random X-Forwarded-For per request, or with ABUSE_ADDRESS one address for all.
local length = tonumber(os.getenv("ABUSE_ID_LENGTH") or "1500")
local fixed = os.getenv("ABUSE_ADDRESS")
local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function base64(data)
    return ((data:gsub(".", function(x)
        local r, byte = "", x:byte()
        for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
        return r
    end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
        if #x < 6 then return "" end
        local c = 0
        for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
        return b64:sub(c + 1, c + 1)
    end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

function request()
    local id = {}
    for i = 1, length do
        local n = math.random(1, #alphabet)
        id[i] = alphabet:sub(n, n)
    end
    local address = fixed or string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
        math.random(1, 254))
    return wrk.format("POST", "/oauth/token", {
        ["Authorization"] = "Basic " .. base64(table.concat(id) .. ":guess"),
        ["X-Forwarded-For"] = address,
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "grant_type=client_credentials")
end
