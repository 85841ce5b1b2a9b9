-- lesson: clubs
-- why: INNER JOIN passes while every club has members (half the members deleted tells them apart)
SELECT c.name, m.name FROM clubs c JOIN club_members m ON m.club_id = c.id
