#!/usr/bin/env bash
# A single-user script in the style of Pinterest's bash quickstart: it opens
# the authorize URL with `open` (sending consumer_id and no state), receives
# the redirect with OpenBSD nc, which answers 301 with no body length, and
# exchanges the code and reads the account with curl. Test switches:
# CLEARTEXT=1 prints the token, HANG=1 hangs after the callback,
# CLIENT_CREDENTIALS=1 gets a token without the user, PASSWORD_PROMPT=1 asks
# for the Pinterest password first, PRINT_ONLY=1 prints the URL for the user
# to open instead of opening it, STATE=1 sends a random state.
: "${REDIRECT_PORT:=8085}"
REDIRECT_URI="http://localhost:${REDIRECT_PORT}/"
B64AUTH=$(printf '%s' "${PINTEREST_APP_ID}:${PINTEREST_APP_SECRET}" | base64 -w0)
json() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; }

if [[ -n ${PASSWORD_PROMPT:-} ]]; then
  read -r -s -p "Pinterest password: " PASSWORD
  echo
fi
if [[ -n ${CLIENT_CREDENTIALS:-} ]]; then
  echo 'getting a token for the app account (client credentials)...'
  RESPONSE=$(curl --silent -X POST -H "Authorization: Basic ${B64AUTH}" --data-urlencode grant_type=client_credentials \
    --data-urlencode scope=user_accounts:read "${PINTEREST_API_URI}/v5/oauth/token")
else
  echo 'getting auth_code...'
  URL="${PINTEREST_OAUTH_URI}/oauth/?consumer_id=${PINTEREST_APP_ID}&redirect_uri=${REDIRECT_URI}&scope=user_accounts:read&response_type=code"
  if [[ -n ${STATE:-} ]]; then
    URL="${URL}&state=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  fi
  if [[ -n ${PRINT_ONLY:-} ]]; then
    echo "Open this URL in your browser: ${URL}"
  else
    open "${URL}" &
  fi
  SESSION=$(nc -l localhost "${REDIRECT_PORT}" 2>&1 <<REPLY
HTTP/1.1 301 Moved Permanently
Location: ${REDIRECT_LANDING_URI}

REPLY
)
  AUTH_CODE=$(echo "${SESSION}" | grep GET | sed -n 's/.*[?&]code=\([^& ]*\).*/\1/p')
  if [[ -n ${HANG:-} ]]; then
    echo "$$" > "${PIDFILE:-/dev/null}"
    echo 'waiting for the network...'
    sleep 600
  fi
  echo 'exchanging auth_code for access_token...'
  RESPONSE=$(curl --silent -X POST -H "Authorization: Basic ${B64AUTH}" --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=${AUTH_CODE}" --data-urlencode "redirect_uri=${REDIRECT_URI}" "${PINTEREST_API_URI}/v5/oauth/token")
fi
ACCESS_TOKEN=$(echo "${RESPONSE}" | json access_token)
echo "scope: $(echo "${RESPONSE}" | json scope)"
if [[ -n ${CLEARTEXT:-} ]]; then
  echo "clear text access token: ${ACCESS_TOKEN}"
fi
echo 'getting user data using the access token'
USER_RESPONSE=$(curl --silent -H "Authorization: Bearer ${ACCESS_TOKEN}" "${PINTEREST_API_URI}/v5/user_account")
echo '--- User Summary ---'
echo "Username: $(echo "${USER_RESPONSE}" | json username)"
echo '--------------------'
