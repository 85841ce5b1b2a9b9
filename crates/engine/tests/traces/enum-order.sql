-- An ENUM column sorts by its members' order, as in MySQL (issue 16): small, medium, large —
-- not alphabetically; NULL first ascending, last descending.
CREATE TABLE e (id INT, size ENUM('small', 'medium', 'large'));
INSERT INTO e VALUES (1, 'large'), (2, 'small'), (3, 'medium'), (4, NULL);
SELECT * FROM e ORDER BY size;
SELECT * FROM e ORDER BY size DESC, id;
SELECT size, COUNT(*) AS n FROM e GROUP BY size ORDER BY size;
SELECT e.id FROM e ORDER BY e.size;
