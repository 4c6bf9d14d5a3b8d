-- Who is connected right now: VPN (CloudConnexa), Azure Bastion, HashiCorp Boundary and AWS Session
-- Manager in one answer. Run it with: sessql --demo exec -f examples/who-is-connected.sql
WITH connected(source, who, target, since) AS (
  SELECT 'cloudconnexa', userName, coalesce(hostName, networkName), sessionStartTime
    FROM cloudconnexa.vpn.sessions WHERE status = 'ACTIVE'
  UNION ALL
  SELECT 'azure', userName, targetHostName, startTime
    FROM azure.network.active_sessions
  UNION ALL
  SELECT 'boundary', u.login_name, t.name, s.created_time
    FROM boundary.access.sessions s
    JOIN boundary.iam.users u ON u.id = s.user_id
    JOIN boundary.access.targets t ON t.id = s.target_id
    WHERE s.status = 'active'
  UNION ALL
  SELECT 'aws', Owner, Target, StartDate
    FROM aws.ssm.sessions WHERE state = 'Active' AND Status = 'Connected'
)
SELECT source, who, target, since FROM connected ORDER BY since DESC;
