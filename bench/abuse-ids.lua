-- wrk script: client authentication with junk at /oauth/token. Every request names a client id never sent before:
-- ABUSE_ID_LENGTH characters (default 1500), of which the first six change per request and the rest is random per
-- thread (so wrk spends its time sending, not encoding). A random X-Forwarded-For per request, or with
-- ABUSE_ADDRESS one address for all.
local length = tonumber(os.getenv("ABUSE_ID_LENGTH") or "1500")
local fixed = os.getenv("ABUSE_ADDRESS")
local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local tail
local counter = 0

local function base64(data)
    local out = {}
    for i = 1, #data, 3 do
        local a, b, c = data:byte(i, i + 2)
        local n = a * 65536 + (b or 0) * 256 + (c or 0)
        local chars = {}
        for j = 1, 4 do
            local k = math.floor(n / 64 ^ (4 - j)) % 64
            chars[j] = b64:sub(k + 1, k + 1)
        end
        if not b then chars[3], chars[4] = "=", "=" elseif not c then chars[4] = "=" end
        out[#out + 1] = table.concat(chars)
    end
    return table.concat(out)
end

local function random_text(n)
    local text = {}
    for i = 1, n do
        local k = math.random(1, #alphabet)
        text[i] = alphabet:sub(k, k)
    end
    return table.concat(text)
end

function init(args)
    math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
    -- six leading bytes encode alone to eight base64 characters, so the rest is encoded once
    tail = base64(random_text(math.max(0, length - 6)) .. ":guess")
end

function request()
    counter = counter + 1
    local prefix = string.format("%06s", string.format("%x", counter % 16777216)):sub(-6):gsub(" ", "0")
    local credentials = length >= 6 and base64(prefix) .. tail or base64(random_text(length) .. ":guess")
    local address = fixed or string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
        math.random(1, 254))
    return wrk.format("POST", "/oauth/token", {
        ["Authorization"] = "Basic " .. credentials,
        ["X-Forwarded-For"] = address,
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "grant_type=client_credentials")
end
