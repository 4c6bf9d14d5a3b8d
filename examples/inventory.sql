-- report: Remote-access inventory
-- An inventory of VPN and Azure Bastion access, as a standalone HTML page or Markdown.
-- Run: sessql --demo report -f examples/inventory.sql -O inventory.html

-- title: VPN sessions per region
-- Sessions started in the last 24 hours, by CloudConnexa region and their status now. Older
-- sessions still active are left out, so every status covers the same hours.
-- chart: bar
SELECT s.region || ' (' || r.country || ')' AS region,
       sum(s.status = 'ACTIVE') AS active,
       sum(s.status = 'COMPLETED') AS completed,
       sum(s.status = 'FAILED') AS failed
FROM cloudconnexa.vpn.sessions s
LEFT JOIN cloudconnexa.vpn.regions r ON r.id = s.region
WHERE s.sessionStartTime >= datetime('now', '-1 day')
GROUP BY s.region
ORDER BY count(*) DESC;

-- title: Top users by traffic
-- Bytes in and out of the sessions started in the last 24 hours, in MiB; connector sessions have no user.
-- chart: bar
SELECT coalesce(userName, '(connector)') AS user,
       round(sum(bytesIn) / 1048576.0, 1) AS mibIn,
       round(sum(bytesOut) / 1048576.0, 1) AS mibOut
FROM cloudconnexa.vpn.sessions
WHERE sessionStartTime >= datetime('now', '-1 day')
GROUP BY userName
ORDER BY sum(bytesIn + bytesOut) DESC
LIMIT 10;

-- title: Sessions started per hour
-- Every session (active, completed or failed) started in the last 24 hours, counted by the hour
-- it started in (UTC). The bound is pushed to the API as its startDate, so every hour of the chart
-- comes from the same fetch.
-- chart: line
SELECT substr(sessionStartTime, 1, 13) || ':00' AS hour, count(*) AS sessions
FROM cloudconnexa.vpn.sessions
WHERE sessionStartTime >= datetime('now', '-1 day')
GROUP BY 1
ORDER BY 1;

-- title: Azure Bastion sessions per host
-- Active sessions on each Bastion host of every subscription (hosts without sessions show 0).
-- chart: bar
SELECT h.name || ' (' || h.location || ')' AS bastionHost, h.sku,
       count(a.sessionId) AS sessions
FROM azure.network.bastion_hosts h
LEFT JOIN azure.network.active_sessions a
  ON a.bastionHostName = h.name AND a.resourceGroupName = h.resourceGroupName AND a.subscriptionId = h.subscriptionId
GROUP BY h.id
ORDER BY sessions DESC;

-- title: Azure Bastion sessions by protocol and user
SELECT protocol, userName, count(*) AS sessions,
       round(sum(sessionDurationInMins), 0) AS totalMinutes,
       round(max(sessionDurationInMins), 0) AS longestMinutes
FROM azure.network.active_sessions
GROUP BY protocol, userName
ORDER BY protocol, sessions DESC;

-- title: Devices by operating system
-- chart: bar
SELECT platform->>'$.os' AS os, count(*) AS devices,
       sum(connectionStatus = 'ONLINE') AS online
FROM cloudconnexa.vpn.devices
GROUP BY 1
ORDER BY devices DESC;

-- title: Users by status
SELECT status, role, count(*) AS users, sum(licensed) AS licensed
FROM cloudconnexa.vpn.users
GROUP BY status, role
ORDER BY users DESC;

-- title: Bastion hosts
SELECT name, resourceGroupName, location, sku, scaleUnits, enableTunneling, enableSessionRecording, provisioningState
FROM azure.network.bastion_hosts
ORDER BY name;
