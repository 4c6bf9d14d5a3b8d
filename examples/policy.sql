-- report: Remote-access policy checks
-- Policy checks for CI: each statement is a check that passes when it returns no rows.
-- Run: sessql --demo check -f examples/policy.sql --junit policy.xml
-- Against the demo data, the first two checks FAIL on purpose (so the output shows offending
-- rows) and the other three pass; the exit code is therefore 1.

-- check: no VPN sessions from outside the allowed countries
-- Allowed: United States, Canada, United Kingdom, Germany, Switzerland; sessions of the last 7 days.
SELECT r.country, s.region, count(*) AS sessions
FROM cloudconnexa.vpn.sessions s
JOIN cloudconnexa.vpn.regions r ON r.id = s.region
WHERE r.countryIso NOT IN ('US', 'CA', 'GB', 'DE', 'CH')
  AND s.sessionStartTime >= date('now', '-7 days')
GROUP BY r.country, s.region
ORDER BY sessions DESC;

-- check: no suspended or invited users with an active VPN session
SELECT u.username, u.status AS userStatus, count(*) AS activeSessions
FROM cloudconnexa.vpn.sessions s
JOIN cloudconnexa.vpn.users u ON u.id = s.userId
WHERE s.status = 'ACTIVE' AND u.status <> 'ACTIVE'
GROUP BY u.username, u.status
ORDER BY activeSessions DESC;

-- check: no failed VPN sessions from unknown regions
SELECT s.id, s.userName, s.region, s.disconnectReason
FROM cloudconnexa.vpn.sessions s
LEFT JOIN cloudconnexa.vpn.regions r ON r.id = s.region
WHERE s.status = 'FAILED' AND r.id IS NULL;

-- check: no user with more than 10 concurrent active VPN sessions
SELECT userName, count(*) AS activeSessions
FROM cloudconnexa.vpn.sessions
WHERE status = 'ACTIVE' AND userName IS NOT NULL
GROUP BY userName
HAVING count(*) > 10;

-- check: no Azure Bastion session open longer than 8 hours
SELECT bastionHostName, userName, targetHostName, round(sessionDurationInMins / 60.0, 1) AS hours
FROM azure.network.active_sessions
WHERE sessionDurationInMins > 8 * 60
ORDER BY hours DESC;
