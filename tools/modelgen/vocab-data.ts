/**
 * Embedded word lists for the generated tokenizer's vocabulary, most frequent first (roughly).
 * Hand-written from general knowledge of French and English frequency lists, no download.
 */

/** Every character the tokenizer knows on its own, in priority order for small vocabularies. */
export const CHARACTERS =
  'eastinrulodcmpévqfbghjàxèyêzçôkwâîûùëïüœÉÈÊÀÂÎÔÇŒ' +
  'EASTINRULODCMPVQFBGHJXYZKW' +
  ".,'’-:;!?()«»\"“”‘…/–—%€$£&*+=<>[]{}_#@°§|~^`\\" +
  '0123456789' +
  'æÆÿŸäöÄÖÜÛÙÏËáíóúñÁÍÓÚÑãõÃÕåÅøØßčšžćłńśźżČŠŽŁŚŻřěůŘĚşğıŞĞİ' +
  '¿¡²³¹½¼¾×÷±µ·•′″†‡¶©®™„‹›';

/** Common French words. */
export const FRENCH_WORDS = `
de la le et les des en un une du à l d est que pour qui dans a par plus pas au sur ne se ce
il sont avec ou son sa ses aux on été mais nous elle comme cette vous ils y être leur tout
fait a été deux sans également entre bien après ont même aussi peut elles était dont lui avait
autres ans ces nos notre très sous leurs fois encore alors tous si contre depuis avant où
moins faire selon non votre premier première lors cas ainsi déjà comment là autre chez jour
rien doit temps pendant toujours quand donc trois toute mon année années monde pays état
gouvernement président ministre France français française françaises politique contre
guerre paix nouvelle nouveau nouveaux nouvelles grand grande grands grandes petit petite
homme hommes femme femmes enfants enfant vie travail ville société histoire partie place
point groupe cours loi droit droits question questions problème moment fin part personne
personnes gens public publique national nationale international internationale européen
européenne européens Europe États-Unis Unis américain américaine américains Russie russe
russes Ukraine ukrainien ukrainienne Chine chinois Allemagne allemand Paris Londres Washington
déclaré a déclaré selon dit dire avoir pouvoir vouloir savoir aller venir voir prendre mettre
donner trouver parler passer rester devenir tenir sembler laisser porter montrer demander
croire penser attendre arriver comprendre reprendre permettre continuer commencer suivre
rencontrer rencontré rencontre engagement soutien soutenir soutenu accord accords décision
décisions message directement discussions discussion responsable responsables haut haute niveau
contact tête entre depuis marge minutes heures semaine semaines mois jours jeudi lundi mardi
mercredi vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre
octobre novembre décembre hier aujourd aujourd'hui demain matin soir nuit heure
secrétaire affaires étrangères étranger étrangère ministère ministres conseil chef chefs
armée militaire militaires sécurité défense force forces attaque attaques troupes soldats
pression initiative initiatives alliés allié européens croissant croissante
demandes base sur la base pouvant conduire juste durable juste fonctionnaire
espoir toujours seront prêts prête processus diplomatique diplomatie
choses changent court terme long longue ancien ancienne anciens
libérer libération marine prison accusations
économie économique économiques marché marchés entreprise entreprises emploi emplois
prix taux croissance crise financière financier banque banques argent euros dollars millions
milliards million milliard pourcent pour cent hausse baisse augmentation réduction budget
santé hôpital médecin médecins maladie patients soins école écoles élèves étudiants
université enseignement éducation culture musique film films livre livres art artiste
presse journal journaux journaliste journalistes information informations médias télévision
radio internet réseaux sociaux site données technologie numérique ordinateur téléphone
énergie électricité gaz pétrole nucléaire climat climatique environnement eau air terre mer
région régions département commune communes village rue route maison maisons logement
famille familles père mère fils fille frère sœur parents ami amis amie enfants jeune jeunes
vieux vieille âge mort morts mourir vivre vivant nombre nombreux nombreuses plusieurs
certains certaines chaque aucun aucune quelques quelque chose toutes tous cela ceci celui
celle ceux celles lequel laquelle lesquels quoi pourquoi combien beaucoup peu trop assez
plus moins mieux meilleur meilleure pire tant autant tellement vraiment seulement surtout
notamment cependant pourtant toutefois néanmoins enfin ensuite puis aussi alors car parce
lorsque puisque tandis pendant durant avant après dès jusqu jusqu'à vers chez parmi malgré
grâce afin près loin autour dessus dessous devant derrière contre environ presque
bon bonne bons bonnes mauvais mauvaise beau belle beaux belles haut bas fort forte faible
important importante importants importantes principal principale principaux possible
impossible nécessaire difficile facile simple clair claire seul seule seuls propre propres
différent différente différents différentes même mêmes tel telle tels telles dernier
dernière derniers dernières prochain prochaine premier premiers second seconde deuxième
troisième quatre cinq six sept huit neuf dix onze douze vingt trente quarante cinquante
cent mille zéro un une
fait faits faite faites faisait font ferait fera feront faisant
est sont était étaient sera seront serait seraient soit soient été étant
a ai as avons avez ont avait avaient aura auront aurait auraient ayant eu eue
peut peuvent pouvait pourrait pourraient pourra pu
doit doivent devait devrait devraient devra dû
veut veulent voulait voudrait voulu
sait savent savait saura su
va vont allait ira iront allé allée allés
vient viennent venait viendra venu venue venus
voit voient voyait verra vu vue vus
prend prennent prenait prendra pris prise
met mettent mettait mis mise
donne donnent donnait donnera donné donnée données
trouve trouvent trouvait trouvé trouvée
parle parlent parlait parlé
passe passent passait passé passée
reste restent restait resté restée
devient deviennent devenu devenue
tient tiennent tenu tenue
semble semblent semblait semblé
laisse laissent laissé
porte portent porté
montre montrent montré
demande demandent demandé demandée
croit croient cru
pense pensent pensé
attend attendent attendu
arrive arrivent arrivé arrivée
comprend comprennent compris
permet permettent permis
continue continuent continué
commence commencent commencé
suit suivent suivi
dit disent disait dira dirait
estime estiment estimé souligne souligné indique indiqué explique expliqué affirme affirmé
annonce annoncé annoncée ajoute ajouté précise précisé rappelle rappelé assure assuré
reconnaît reconnu confirme confirmé insiste insisté ajouté
je tu me te moi toi nous vous leur eux lui soi mes tes ma ta mon ton vos leurs
c ç qu n s j m t l d
ça cela celui celle ici là voilà voici oui non ne pas plus jamais rien personne
monsieur madame mademoiselle M Mme Mlle Dr
intention idée toute Russes Russe Américains
Affaires Groupe New secrétaire d'État État États américain
également envoyer envoyé message président

pourrait soutien croissant alliés européens paix juste durable
nouvelles élections élection vote votes électeurs parti partis candidat candidats campagne
gauche droite centre opposition majorité assemblée Sénat sénateur député députés parlement
réforme réformes projet projets plan mesures mesure règles règle système systèmes
organisation organisations association syndicat syndicats grève grèves manifestation
manifestations manifestants police policiers justice juge juges tribunal procès avocat
enquête victime victimes crime violence violences sécurité risque risques danger menace
accident incendie catastrophe situation conditions condition raison raisons effet effets
exemple manière façon moyen moyens fonction rôle travail travaux service services production
produit produits développement recherche recherches résultat résultats étude études analyse
population habitants citoyens citoyen salariés travailleurs clients consommateurs
chose choses fois ordre sens forme lieu suite côté titre compte mot mots nom noms
terme termes objectif objectifs intérêt intérêts besoin besoins action actions activité
activités niveau niveaux rapport rapports relation relations moitié millier centaine
face fond début milieu cadre domaine sujet sujets aide aides effort efforts volonté
capacité besoin choix changement changements position positions situation programme
européenne mondiale mondial mondiaux générale général généraux sociale social sociaux
politique politiques publique publics publiques économique locale local locaux
rapidement récemment directement simplement largement fortement totalement complètement
particulièrement généralement finalement actuellement précisément évidemment heureusement
malheureusement seulement vraiment probablement certainement immédiatement progressivement
brièvement lentement clairement officiellement publiquement personnellement régulièrement
américaine américaines allemande britannique britanniques italien italienne espagnol
espagnole japonais chinoise indien indienne africain africaine asiatique occidental occidentaux
ministre ministres présidente présidentielle présidence premier ministre porte-parole
ambassadeur ambassade diplomate diplomates sommet réunion réunions conférence négociations
négociation sanctions sanction conflit conflits invasion occupation frontière frontières
territoire territoires régime opposant opposants prisonnier prisonniers otage otages
libéré libérée arrêté arrêtée condamné condamnée accusé accusée jugé accusation
travailler travaille travaillent travaillé chercher cherche cherché essayer essaie essayé
appeler appelle appelé aimer aime aimé jouer joue joué vivre vit vécu écrire écrit écrite
lire lit lu ouvrir ouvert ouverte fermer fermé perdre perdu gagner gagné payer payé
acheter acheté vendre vendu ouvrir recevoir reçu répondre répondu entendre entendu
sortir sorti sortie entrer entré partir parti partie revenir revenu tomber tombé
rendre rendu présenter présenté créer créé produire produit réaliser réalisé
assurer obtenir obtenu atteindre atteint prévoir prévu décider décidé refuser refusé
accepter accepté proposer proposé exprimer exprimé organiser organisé participer participé
rencontrons rencontrent rencontrait parlons parlez pensons pensez savons savez voulons voulez
pouvons pouvez devons devez faisons faites allons allez venons venez avons avez sommes êtes
serait seraient pourrait pourraient devrait devraient voudrait aurait auraient
espère espèrent espéré souhaite souhaitent souhaité craint craignent inquiet inquiète
préoccupation préoccupations inquiétude critique critiques soutenir soutient soutiennent
idée idées intention intentions volonté opinion avis esprit cœur main mains tête yeux
voix regard parole paroles texte lettre lettres article articles page pages photo photos
image images vidéo vidéos chiffre chiffres nombre total moyenne partie parties
décennie décennies siècle siècles période périodes époque début fin semaine dernière
dernier prochaine prochains prochaines passé passée passés futur avenir présent
toute tout tous toutes aucun nul chacun chacune quelqu'un quelqu plusieurs divers diverses
pendant lorsque tandis jusque jusqu depuis désormais ailleurs dehors dedans partout
`;

/** Common English words (the target side shares the vocabulary, as in opus-mt-fr-en). */
export const ENGLISH_WORDS = `
the of and to a in is that for it as was with be by on not he this are or his from at which
but have an they you were her she all their has been one had there we its will would more
if no so can said what who about out up when than them into some could other time these two
may then do first any my now such like our over man me even most made after also did many
before must through back years where much your way well down should because each just those
people how too little state good very make world still own see men work long get here between
both life being under never day same another know while last might us great old year off
come since against go came right used take three states himself few house use during without
again place around however home small found thought went say part once general high upon
school every does got united left number course war until always away something fact though
water less public put think almost hand enough far took head yet government system better set
told nothing night end why called didn't eyes find going look asked later knew point next
program city business give group toward young days let room president side social given
present several order national possible rather second face per among form important often
things looking early white case john become large big need four within felt along children
saw best church ever least power development light thing seemed family interest want members
mind country area others done turned although open god service certain kind problem began
different door thus help sense means whole matter perhaps itself york times law human line
above name example action company hands local show whether five history gave today either act
feel across taken past quite anything having seen death experience body word half really field
am car words already themselves information tell together college shall money period held
keep sure free seems political real behind cannot miss question air office making brought
whose special major heard problems federal became study ago moment available known result
street economic boy position reason change south board individual job society areas west
close turn love community true court force full seem am policy minister foreign secretary
talks meeting support peace russia ukraine russian american united states officials official
war leaders leader allies european countries minutes week month statement decision message
directly initiative pressure contact level meeting minister affairs group hope ready process
diplomatic lead just lasting told urged release former marine accusations spying rejected
`;
