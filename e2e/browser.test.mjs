// End-to-end test of the web page in a real browser (Debian's chromium driven by playwright-core):
// register, log in with cookies, read the greeting, refresh, log out, and check that the tokens
// never reach script and are dead after logout.
// Needs the service running at E2E_BASE_URL (default http://localhost:18090); scripts/e2e.sh
// starts one and runs this file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.E2E_BASE_URL || 'http://localhost:18090').replace(/\/+$/, '');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const TARGET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'target');
const SCREENSHOT = join(TARGET_DIR, 'e2e-greeting.png');

const ACCESS = '__Host-access_token';
const REFRESH = '__Secure-refresh_token';
const CSRF = '__Host-csrf_token';

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

function randomUser() {
  return `e2e_${randomBytes(6).toString('hex')}`;
}

/** A fresh browser context (no cookies) with a page on the web client. */
async function openPage() {
  const context = await browser.newContext({ baseURL: BASE_URL });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto('/');
  await page.locator('#login-form').waitFor({ state: 'visible' });
  return { context, page, pageErrors };
}

/** All cookies of the context by name (every path, so the refresh cookie is included). */
async function cookiesByName(context) {
  return new Map((await context.cookies()).map((c) => [c.name, c]));
}

/** Clicks a button and returns the response to the request the page makes to `path`. */
async function clickFor(page, button, method, path) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === path),
    page.click(button),
  ]);
  return response;
}

describe('web page in cookie mode', () => {
  test('register, log in, greeting, refresh, log out', async () => {
    const { context, page, pageErrors } = await openPage();
    try {
      const username = randomUser();
      const password = `pw-${randomBytes(8).toString('hex')}`;

      // register through the page
      await page.fill('#username', username);
      await page.fill('#password', password);
      const registered = await clickFor(page, '#register', 'POST', '/auth/register');
      assert.equal(registered.status(), 201, 'register answers 201');
      await page.locator('#message[data-kind="info"]').waitFor();
      assert.match(await page.textContent('#message'), /created/);

      // log in (cookie mode): the greeting is shown
      await page.fill('#password', password);
      const loggedIn = await clickFor(page, '#login', 'POST', '/auth/login');
      assert.equal(loggedIn.status(), 200, 'login answers 200');
      assert.equal(new URL(loggedIn.url()).searchParams.get('mode'), 'cookie');
      const loginBody = await loggedIn.json();
      assert.equal(loginBody.token_type, 'cookie');
      assert.equal(typeof loginBody.expires_in, 'number');
      assert.equal(typeof loginBody.refresh_expires_in, 'number');
      assert.equal(loginBody.access_token, undefined, 'no access token in the body');
      assert.equal(loginBody.refresh_token, undefined, 'no refresh token in the body');

      await page.locator('#greeting').waitFor({ state: 'visible' });
      assert.equal(await page.textContent('#greeting'), `Hey ${username}`);
      assert.ok(await page.locator('#login-form').isHidden(), 'login form hidden after login');
      mkdirSync(TARGET_DIR, { recursive: true });
      await page.screenshot({ path: SCREENSHOT });

      // the cookies' attributes
      let cookies = await cookiesByName(context);
      const access = cookies.get(ACCESS);
      const refresh = cookies.get(REFRESH);
      const csrf = cookies.get(CSRF);
      assert.ok(access, `${ACCESS} is set`);
      assert.ok(refresh, `${REFRESH} is set`);
      assert.ok(csrf, `${CSRF} is set`);
      for (const cookie of [access, refresh]) {
        assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
        assert.equal(cookie.secure, true, `${cookie.name} is Secure`);
        assert.equal(cookie.sameSite, 'Strict', `${cookie.name} is SameSite=Strict`);
      }
      assert.equal(access.path, '/');
      assert.equal(refresh.path, '/auth/refresh');
      assert.equal(csrf.httpOnly, false, `${CSRF} is readable by script`);
      assert.equal(csrf.secure, true, `${CSRF} is Secure`);
      assert.equal(csrf.sameSite, 'Strict', `${CSRF} is SameSite=Strict`);
      assert.equal(csrf.path, '/');

      // script sees the CSRF cookie, never the tokens
      const documentCookie = await page.evaluate(() => document.cookie);
      assert.ok(!documentCookie.includes(ACCESS), 'document.cookie has no access cookie');
      assert.ok(!documentCookie.includes(REFRESH), 'document.cookie has no refresh cookie');
      assert.ok(!documentCookie.includes(access.value), 'document.cookie has no access token');
      assert.ok(!documentCookie.includes(refresh.value), 'document.cookie has no refresh token');
      assert.ok(documentCookie.split(/;\s*/).includes(`${CSRF}=${csrf.value}`),
        'document.cookie has the CSRF cookie');

      // state-changing requests without the CSRF header are refused
      const withoutCsrf = await page.evaluate(async () => {
        const statusOf = async (path) => {
          const r = await fetch(path, { method: 'POST', credentials: 'same-origin' });
          return { status: r.status, type: r.headers.get('Content-Type') };
        };
        return { refresh: await statusOf('/auth/refresh?mode=cookie'), logout: await statusOf('/auth/logout') };
      });
      for (const [what, r] of Object.entries(withoutCsrf)) {
        assert.equal(r.status, 403, `${what} without X-CSRF-Token answers 403`);
        assert.match(r.type ?? '', /application\/problem\+json/, `${what} 403 is a problem document`);
      }
      cookies = await cookiesByName(context);
      assert.equal(cookies.get(ACCESS)?.value, access.value, 'refused requests changed no cookie');
      assert.equal(cookies.get(REFRESH)?.value, refresh.value, 'refused requests changed no cookie');

      // Refresh: new cookies, greeting still shown
      const refreshed = await clickFor(page, '#refresh', 'POST', '/auth/refresh');
      assert.equal(refreshed.status(), 200, 'refresh answers 200');
      assert.equal(refreshed.request().headers()['x-csrf-token'], csrf.value, 'refresh sends the CSRF token');
      const refreshBody = await refreshed.json();
      assert.equal(refreshBody.token_type, 'cookie');
      assert.equal(refreshBody.access_token, undefined);
      assert.equal(refreshBody.refresh_token, undefined);
      await page.locator('#message[data-kind="info"]', { hasText: 'refreshed' }).waitFor();
      assert.ok(await page.locator('#greeting').isVisible(), 'greeting still shown after refresh');
      assert.equal(await page.textContent('#greeting'), `Hey ${username}`);
      cookies = await cookiesByName(context);
      const newAccess = cookies.get(ACCESS);
      assert.ok(newAccess, 'access cookie after refresh');
      assert.notEqual(newAccess.value, access.value, 'refresh replaced the access cookie');
      assert.ok(cookies.get(REFRESH), 'refresh cookie after refresh');
      assert.notEqual(cookies.get(REFRESH).value, refresh.value, 'refresh rotated the refresh cookie');
      const csrfAfterRefresh = cookies.get(CSRF);
      assert.ok(csrfAfterRefresh, 'CSRF cookie after refresh');

      // Log out: back to the login form, cookies cleared
      const loggedOut = await clickFor(page, '#logout', 'POST', '/auth/logout');
      assert.equal(loggedOut.status(), 204, 'logout answers 204');
      assert.equal(loggedOut.request().headers()['x-csrf-token'], csrfAfterRefresh.value,
        'logout sends the current CSRF token');
      await page.locator('#login-form').waitFor({ state: 'visible' });
      assert.ok(await page.locator('#greeting-view').isHidden(), 'greeting hidden after logout');
      cookies = await cookiesByName(context);
      for (const name of [ACCESS, REFRESH, CSRF]) {
        assert.ok(!cookies.has(name), `${name} cleared by logout`);
      }

      // the session is over: for the page, and for the old access token as a Bearer token
      const afterLogout = await page.evaluate(async () => {
        const r = await fetch('/api/greeting', { credentials: 'same-origin' });
        return { status: r.status, type: r.headers.get('Content-Type') };
      });
      assert.equal(afterLogout.status, 401, 'greeting from the page after logout answers 401');
      assert.match(afterLogout.type ?? '', /application\/problem\+json/);

      const bearer = await fetch(`${BASE_URL}/api/greeting`, {
        headers: { Authorization: `Bearer ${newAccess.value}` },
      });
      assert.equal(bearer.status, 401, 'the last access token as Bearer after logout answers 401');
      assert.match(bearer.headers.get('Content-Type') ?? '', /application\/problem\+json/);

      // a reload shows the login form
      await page.reload();
      await page.locator('#login-form').waitFor({ state: 'visible' });
      assert.ok(await page.locator('#greeting-view').isHidden());

      assert.deepEqual(pageErrors, [], 'no script errors on the page');
    } finally {
      await context.close();
    }
  });

  test('a reload keeps a logged-in user on the greeting', async () => {
    const { context, page } = await openPage();
    try {
      const username = randomUser();
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const registered = await fetch(`${BASE_URL}/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      assert.equal(registered.status, 201);

      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('#login');
      await page.locator('#greeting', { hasText: `Hey ${username}` }).waitFor();

      await page.reload();
      await page.locator('#greeting', { hasText: `Hey ${username}` }).waitFor();
      assert.ok(await page.locator('#login-form').isHidden());
    } finally {
      await context.close();
    }
  });

  test('the page is revalidated on every load', async () => {
    for (const file of ['/', '/app.js', '/style.css']) {
      const response = await fetch(`${BASE_URL}${file}`);
      assert.equal(response.status, 200, `${file} is served`);
      assert.match(response.headers.get('Cache-Control') ?? '', /max-age=0\b/, `${file} is not cached as is`);
      await response.arrayBuffer();
    }
  });

  test('errors show the problem detail', async () => {
    const { context, page } = await openPage();
    try {
      // a password that is too short
      const username = randomUser();
      await page.fill('#username', username);
      await page.fill('#password', 'short');
      const refused = await clickFor(page, '#register', 'POST', '/auth/register');
      assert.equal(refused.status(), 400, 'a short password is refused');
      const problem = await refused.json();
      assert.ok(problem.detail, 'the problem has a detail');
      await page.locator('#message[data-kind="error"]').waitFor();
      assert.equal(await page.textContent('#message'), problem.detail);

      // wrong credentials
      await page.fill('#password', 'not the password of anyone');
      const unauthorized = await clickFor(page, '#login', 'POST', '/auth/login');
      assert.equal(unauthorized.status(), 401);
      const loginProblem = await unauthorized.json();
      await page.locator('#message[data-kind="error"]', { hasText: loginProblem.detail }).waitFor();
      assert.equal(await page.textContent('#message'), loginProblem.detail);
      assert.ok(await page.locator('#login-form').isVisible(), 'still on the login form');
      assert.deepEqual(await context.cookies(), [], 'no cookies after failed attempts');
    } finally {
      await context.close();
    }
  });
});
