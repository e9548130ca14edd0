// Web client of the token service in cookie mode. The access and refresh tokens live in HttpOnly
// cookies that this script never sees; it reads only the CSRF cookie and sends its value back in
// X-CSRF-Token on every state-changing request.
'use strict';

(() => {
  const CSRF_COOKIE = '__Host-csrf_token';

  const $ = (id) => document.getElementById(id);
  const el = {
    message: $('message'),
    loading: $('loading'),
    loginForm: $('login-form'),
    username: $('username'),
    password: $('password'),
    login: $('login'),
    register: $('register'),
    greetingView: $('greeting-view'),
    greeting: $('greeting'),
    refresh: $('refresh'),
    logout: $('logout'),
  };

  /** The value of the readable CSRF cookie, or null when there is none. */
  function csrfToken() {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === CSRF_COOKIE) {
        return decodeURIComponent(part.slice(eq + 1).trim());
      }
    }
    return null;
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  /**
   * Calls the service with the session cookies. State-changing calls (csrf: true) carry the CSRF
   * cookie's value in X-CSRF-Token. Resolves to the parsed JSON body (or null); rejects with an
   * ApiError whose message is the problem's detail.
   */
  async function api(method, path, { body, csrf = false } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (csrf) {
      const token = csrfToken();
      if (token !== null) headers['X-CSRF-Token'] = token;
    }
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'The service cannot be reached.');
    }
    const type = response.headers.get('Content-Type') || '';
    let data = null;
    if (type.includes('json')) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    if (!response.ok) {
      const detail = (data && (data.detail || data.title)) ||
        `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, detail);
    }
    return data;
  }

  function showMessage(text, kind = 'info') {
    el.message.textContent = text;
    el.message.dataset.kind = kind;
    el.message.hidden = false;
  }

  function clearMessage() {
    el.message.textContent = '';
    delete el.message.dataset.kind;
    el.message.hidden = true;
  }

  function showLoginForm() {
    el.loading.hidden = true;
    el.greetingView.hidden = true;
    el.greeting.textContent = '';
    el.loginForm.hidden = false;
    (el.username.value ? el.password : el.username).focus();
  }

  function showGreeting(text) {
    el.loading.hidden = true;
    el.loginForm.hidden = true;
    el.password.value = '';
    el.greeting.textContent = text;
    el.greetingView.hidden = false;
  }

  /** Runs an action with the page's buttons disabled, showing its error, if any. */
  async function busy(action) {
    const buttons = [el.login, el.register, el.refresh, el.logout];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await action();
    } catch (e) {
      showMessage(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  async function loadGreeting() {
    const data = await api('GET', '/api/greeting');
    showGreeting(data.message);
  }

  function credentials() {
    return { username: el.username.value, password: el.password.value };
  }

  el.register.addEventListener('click', () => busy(async () => {
    clearMessage();
    const account = await api('POST', '/auth/register', { body: credentials() });
    showMessage(`Account ${account && account.username ? account.username : el.username.value} created. You can log in now.`);
  }));

  el.loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(async () => {
      clearMessage();
      await api('POST', '/auth/login?mode=cookie', { body: credentials() });
      el.password.value = '';
      await loadGreeting();
    });
  });

  el.refresh.addEventListener('click', () => busy(async () => {
    clearMessage();
    try {
      await api('POST', '/auth/refresh?mode=cookie', { csrf: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) showLoginForm();
      throw e;
    }
    await loadGreeting();
    showMessage('Session refreshed.');
  }));

  el.logout.addEventListener('click', () => busy(async () => {
    clearMessage();
    try {
      await api('POST', '/auth/logout', { csrf: true });
    } catch (e) {
      // 401: the session had already ended; the user is logged out either way.
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    }
    showLoginForm();
    showMessage('Logged out.');
  }));

  /** On load: show the greeting when the access cookie is still good, else the login form. */
  async function start() {
    try {
      await loadGreeting();
    } catch (e) {
      showLoginForm();
      if (!(e instanceof ApiError && e.status === 401)) {
        showMessage(e.message, 'error');
      }
    }
  }

  start();
})();
